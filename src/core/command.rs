//! The commands people type, their French and English names, and who may
//! use them.

use super::effect::Text;
use super::model::{Lang, Person, Role};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    Start,
    Help,
    Cancel,
    Language,
    Offers,
    Claim,
    Release,
    Report,
    Profile,
    MyData,
    ForgetMe,
    ElderAdd,
    OfferNew,
    OfferCancel,
    Asked,
    Feedback,
    Verify,
    Role,
    LinkGroup,
    Members,
    Remove,
    Pin,
    Stats,
    Referral,
}

/// Who may run a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allowed {
    Anyone,
    Volunteer,
    Ambassador,
    AmbassadorOrCoordinator,
    Coordinator,
    Referent,
}

/// Where a command makes sense.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Anywhere,
    /// Commands that show or ask for private details.
    Private,
    /// Commands about the group they are typed in.
    Group,
}

impl Command {
    pub const ALL: [Command; 24] = [
        Command::Start,
        Command::Help,
        Command::Cancel,
        Command::Language,
        Command::Offers,
        Command::Claim,
        Command::Release,
        Command::Report,
        Command::Profile,
        Command::MyData,
        Command::ForgetMe,
        Command::ElderAdd,
        Command::OfferNew,
        Command::OfferCancel,
        Command::Asked,
        Command::Feedback,
        Command::Verify,
        Command::Role,
        Command::LinkGroup,
        Command::Members,
        Command::Remove,
        Command::Pin,
        Command::Stats,
        Command::Referral,
    ];

    /// The English and French names.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Command::Start => ("start", "demarrer"),
            Command::Help => ("help", "aide"),
            Command::Cancel => ("cancel", "annuler"),
            Command::Language => ("language", "langue"),
            Command::Offers => ("offers", "offres"),
            Command::Claim => ("claim", "prendre"),
            Command::Release => ("release", "liberer"),
            Command::Report => ("report", "compte_rendu"),
            Command::Profile => ("profile", "profil"),
            Command::MyData => ("my_data", "mes_donnees"),
            Command::ForgetMe => ("forget_me", "oublier"),
            Command::ElderAdd => ("elder_add", "aine_ajouter"),
            Command::OfferNew => ("offer_new", "offre_nouvelle"),
            Command::OfferCancel => ("offer_cancel", "offre_annuler"),
            Command::Asked => ("asked", "sollicites"),
            Command::Feedback => ("feedback", "retour"),
            Command::Verify => ("verify", "verifier"),
            Command::Role => ("role", "role"),
            Command::LinkGroup => ("link_group", "lier_groupe"),
            Command::Members => ("members", "membres"),
            Command::Remove => ("remove", "retirer"),
            Command::Pin => ("pin", "epingler"),
            Command::Stats => ("stats", "stats"),
            Command::Referral => ("referral", "orientation"),
        }
    }

    /// The name shown to someone who reads this language.
    pub fn name(self, lang: Lang) -> &'static str {
        let (en, fr) = self.names();
        match lang {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    /// Finds a command by either of its names, ignoring case and accents
    /// people may type (`libérer`, `vérifier`, `données`).
    pub fn parse(typed: &str) -> Option<Command> {
        let typed = fold_accents(&typed.to_lowercase());
        Command::ALL.into_iter().find(|command| {
            let (en, fr) = command.names();
            typed == en || typed == fr
        })
    }

    pub fn allowed(self) -> Allowed {
        match self {
            Command::Start | Command::Help | Command::Cancel | Command::Language => Allowed::Anyone,
            Command::MyData | Command::ForgetMe => Allowed::Anyone,
            Command::Offers | Command::Claim | Command::Release | Command::Report => {
                Allowed::Volunteer
            }
            Command::Profile => Allowed::Volunteer,
            Command::Members | Command::Remove => Allowed::Ambassador,
            Command::Stats | Command::Pin => Allowed::AmbassadorOrCoordinator,
            Command::Referral => Allowed::Referent,
            Command::ElderAdd
            | Command::OfferNew
            | Command::OfferCancel
            | Command::Asked
            | Command::Feedback
            | Command::Verify
            | Command::Role
            | Command::LinkGroup => Allowed::Coordinator,
        }
    }

    pub fn place(self) -> Place {
        match self {
            Command::Start
            | Command::Report
            | Command::Profile
            | Command::MyData
            | Command::ForgetMe
            | Command::ElderAdd
            | Command::OfferNew
            | Command::Feedback
            | Command::Referral => Place::Private,
            Command::LinkGroup | Command::Members | Command::Remove | Command::Pin => Place::Group,
            _ => Place::Anywhere,
        }
    }

    /// Whether this person may run the command; `None` is someone the
    /// service does not know yet.
    pub fn permits(self, person: Option<&Person>) -> bool {
        let Some(person) = person else {
            return self.allowed() == Allowed::Anyone;
        };
        let has = |role| person.roles.has(role);
        match self.allowed() {
            Allowed::Anyone | Allowed::Volunteer => true,
            Allowed::Ambassador => has(Role::Ambassador),
            Allowed::AmbassadorOrCoordinator => has(Role::Ambassador) || has(Role::Coordinator),
            Allowed::Coordinator => has(Role::Coordinator),
            Allowed::Referent => has(Role::Referent) || has(Role::Coordinator),
        }
    }

    /// The line `help` shows for this command.
    pub fn help(self) -> Text {
        Text::new(match self {
            Command::Start => "help-start",
            Command::Help => "help-help",
            Command::Cancel => "help-cancel",
            Command::Language => "help-language",
            Command::Offers => "help-offers",
            Command::Claim => "help-claim",
            Command::Release => "help-release",
            Command::Report => "help-report",
            Command::Profile => "help-profile",
            Command::MyData => "help-my-data",
            Command::ForgetMe => "help-forget-me",
            Command::ElderAdd => "help-elder-add",
            Command::OfferNew => "help-offer-new",
            Command::OfferCancel => "help-offer-cancel",
            Command::Asked => "help-asked",
            Command::Feedback => "help-feedback",
            Command::Verify => "help-verify",
            Command::Role => "help-role",
            Command::LinkGroup => "help-link-group",
            Command::Members => "help-members",
            Command::Remove => "help-remove",
            Command::Pin => "help-pin",
            Command::Stats => "help-stats",
            Command::Referral => "help-referral",
        })
    }
}

/// Lowercase ASCII folding of the accented letters French speakers type.
pub(crate) fn fold_accents(text: &str) -> String {
    text.chars()
        .map(|letter| match letter {
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'à' | 'â' => 'a',
            'î' | 'ï' => 'i',
            'ô' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            '-' => '_',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_answers_to_both_names() {
        for command in Command::ALL {
            let (en, fr) = command.names();
            assert_eq!(Command::parse(en), Some(command));
            assert_eq!(Command::parse(fr), Some(command));
        }
    }

    #[test]
    fn accents_and_case_are_forgiven() {
        assert_eq!(Command::parse("Libérer"), Some(Command::Release));
        assert_eq!(Command::parse("mes_données"), Some(Command::MyData));
        assert_eq!(Command::parse("Compte-Rendu"), Some(Command::Report));
        assert_eq!(Command::parse("fly"), None);
    }

    #[test]
    fn no_name_belongs_to_two_commands() {
        let names = Command::ALL.iter().flat_map(|command| {
            let (en, fr) = command.names();
            [en, fr]
        });
        for name in names {
            let owners = Command::ALL.iter().filter(|command| {
                let (en, fr) = command.names();
                en == name || fr == name
            });
            assert_eq!(owners.count(), 1, "{name}");
        }
    }
}
