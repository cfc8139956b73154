//! The handbook's vocabulary: the model kinds a page declares ([`Kind`],
//! with the front-matter keys each defines), the RACI letters
//! ([`Letters`]) and which set of them a handbook uses ([`Alphabet`]).
//! Every phase speaks it; it depends on nothing.

/// The RACI letters a handbook may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Alphabet {
    /// Responsible, Accountable, Consulted, Informed.
    #[default]
    Raci,
    /// RACI plus Supportive.
    Rasci,
}

impl Alphabet {
    /// The letters, in the order they are written in legends.
    pub fn letters(self) -> &'static str {
        match self {
            Alphabet::Raci => "RACI",
            Alphabet::Rasci => "RASCI",
        }
    }
}

/// The model kinds a page can declare with `kind:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A layer of the stack (physical, platform, cloud, ...).
    Layer,
    /// A building block sitting on a layer.
    Component,
    /// A role people hold.
    Role,
    /// A piece of work with a RACI row.
    Activity,
    /// An architecture decision record (MADR).
    Decision,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 5] = [
        Kind::Layer,
        Kind::Component,
        Kind::Role,
        Kind::Activity,
        Kind::Decision,
    ];

    /// The name written in front matter.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Layer => "layer",
            Kind::Component => "component",
            Kind::Role => "role",
            Kind::Activity => "activity",
            Kind::Decision => "decision",
        }
    }

    /// The name with its indefinite article (`an activity`).
    pub fn with_article(self) -> &'static str {
        match self {
            Kind::Layer => "a layer",
            Kind::Component => "a component",
            Kind::Role => "a role",
            Kind::Activity => "an activity",
            Kind::Decision => "a decision",
        }
    }

    /// The kind a front-matter name means.
    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Keys this kind defines beyond the common ones.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::Layer => &["level", "parent"],
            Kind::Component => &["layer", "owner", "depends_on", "lifecycle"],
            Kind::Role => &["mantra", "focus", "relations", "layers", "does_not", "raci"],
            Kind::Activity => &["area", "layers", "raci"],
            Kind::Decision => &[
                "status",
                "date",
                "decision-makers",
                "deciders",
                "consulted",
                "informed",
                "supersedes",
            ],
        }
    }
}

/// A set of RACI letters (`A/R` is Accountable and Responsible).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Letters(u8);

impl Letters {
    /// Responsible.
    pub const R: Letters = Letters(1);
    /// Accountable.
    pub const A: Letters = Letters(2);
    /// Supportive (RASCI only).
    pub const S: Letters = Letters(4);
    /// Consulted.
    pub const C: Letters = Letters(8);
    /// Informed.
    pub const I: Letters = Letters(16);

    const ORDER: [(char, Letters); 5] = [
        ('A', Letters::A),
        ('R', Letters::R),
        ('S', Letters::S),
        ('C', Letters::C),
        ('I', Letters::I),
    ];

    /// True when every letter of `other` is in `self`.
    pub fn contains(self, other: Letters) -> bool {
        self.0 & other.0 == other.0
    }

    /// True when no letter is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The union of two sets.
    pub fn union(self, other: Letters) -> Letters {
        Letters(self.0 | other.0)
    }

    /// Parses `A/R`, `R`, `AR`, `a, r`. Returns the letters, or the first
    /// character that is not a letter of `alphabet`.
    pub fn parse(text: &str, alphabet: Alphabet) -> Result<Letters, char> {
        let mut set = Letters::default();
        for c in text.chars() {
            if matches!(c, '/' | ',' | '+' | '&' | ' ') {
                continue;
            }
            let up = c.to_ascii_uppercase();
            if !alphabet.letters().contains(up) {
                return Err(c);
            }
            let (_, l) = Letters::ORDER
                .iter()
                .find(|(ch, _)| *ch == up)
                .copied()
                .ok_or(c)?;
            set = set.union(l);
        }
        if set.is_empty() { Err(' ') } else { Ok(set) }
    }
}

impl std::fmt::Display for Letters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut first = true;
        for (c, l) in Letters::ORDER {
            if self.contains(l) {
                if !first {
                    f.write_str("/")?;
                }
                write!(f, "{c}")?;
                first = false;
            }
        }
        Ok(())
    }
}

/// The help line for a bad RACI letter.
pub fn letters_help(alphabet: Alphabet) -> String {
    match alphabet {
        Alphabet::Raci => "use R (responsible), A (accountable), C (consulted) or I (informed), combined like `A/R`; \
             for S (supportive) set `raci = \"RASCI\"` under [archbook] in book.toml"
            .into(),
        Alphabet::Rasci => {
            "use R (responsible), A (accountable), S (supportive), C (consulted) or I (informed), combined like `A/R`"
                .into()
        }
    }
}
