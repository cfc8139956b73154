# archbook in a container, for CI systems that run jobs in images:
#   docker build -t archbook .
#   docker run --rm -v "$PWD":/work archbook build . -o book --deny warnings
# The first stage compiles archbook; the image holds only the binary and
# runs as an unprivileged user.
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin archbook \
 && strip target/release/archbook

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --user-group --no-create-home archbook
COPY --from=build /src/target/release/archbook /usr/local/bin/archbook
USER archbook
WORKDIR /work
ENTRYPOINT ["archbook"]
CMD ["--help"]
