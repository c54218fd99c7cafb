//! Registering an elder, in one line or step by step. Elders never use the
//! bot: a coordinator does this for them, in a private chat.

use serde::{Deserialize, Serialize};

use super::choices::yes_no;
use super::context::{Ctx, Flow, refuse};
use super::dialogue::{self, Choice, Dialogue, Env, Finished, Next, Question, Reply, Step};
use super::effect::Text;
use super::geocode::{Candidate, Found, decide};
use super::model::LatLon;
use super::store::NewElder;
use crate::geography::Geography;

/// What a coordinator has told about the elder so far.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ElderDraft {
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub address: String,
    pub at: Option<LatLon>,
    pub neighbourhood: Option<String>,
    pub mobility: String,
    pub consent: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ElderDialogue {
    pub draft: ElderDraft,
    pub step: ElderStep,
    #[serde(default)]
    pub located: Located,
}

/// What the address service made of the address, which the questions
/// after it mention.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Located {
    /// Not looked up: no service is configured.
    #[default]
    NotAsked,
    /// Taken, as the service labelled it, in this neighbourhood if any.
    Found {
        label: String,
        neighbourhood: Option<String>,
    },
    /// Too unsure to take: the coordinator picks one or places it.
    Unsure {
        candidates: Vec<Candidate>,
    },
    NotFound,
    /// The service did not answer, or not in time.
    Unreachable,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElderStep {
    AskFirstName,
    AskLastName,
    AskPhone,
    AskAddress,
    AskCandidate,
    AskPlace,
    AskMobility,
    AskConsent,
}

impl ElderDialogue {
    pub(crate) fn new() -> Self {
        let draft = ElderDraft::default();
        Self { draft, step: ElderStep::AskFirstName, located: Located::NotAsked }
    }

    pub(crate) fn question(&self) -> Question {
        let (tag, id) = match (self.step, &self.located) {
            (ElderStep::AskFirstName, _) => ("first", "elder-ask-first-name"),
            (ElderStep::AskLastName, _) => ("last", "elder-ask-last-name"),
            (ElderStep::AskPhone, _) => ("phone", "elder-ask-phone"),
            (ElderStep::AskAddress, _) => ("address", "elder-ask-address"),
            (ElderStep::AskCandidate, Located::Unsure { candidates }) => {
                return Question::new("candidate", Text::new("elder-ask-candidate"))
                    .choices(candidate_choices(candidates));
            }
            (ElderStep::AskPlace, Located::NotFound) => ("place", "elder-ask-place-not-found"),
            (ElderStep::AskPlace, Located::Unreachable) => ("place", "elder-ask-place-unreachable"),
            (ElderStep::AskCandidate | ElderStep::AskPlace, _) => ("place", "elder-ask-place"),
            (ElderStep::AskMobility, Located::Found { label, neighbourhood }) => {
                let text = match neighbourhood {
                    Some(name) => {
                        Text::new("elder-ask-mobility-located").arg("neighbourhood", name.clone())
                    }
                    None => Text::new("elder-ask-mobility-located-nowhere"),
                };
                return Question::new("mobility", text.arg("label", label.clone()));
            }
            (ElderStep::AskMobility, _) => ("mobility", "elder-ask-mobility"),
            (ElderStep::AskConsent, _) => ("consent", "elder-ask-consent"),
        };
        let question = Question::new(tag, Text::new(id));
        if self.step == ElderStep::AskConsent { question.choices(yes_no()) } else { question }
    }

    /// The address this reply gives, at the step that asks for it.
    pub(crate) fn address_in(&self, reply: Reply<'_>) -> Option<String> {
        (self.step == ElderStep::AskAddress).then(|| reply.text()).flatten()
    }

    pub(crate) fn next(self, reply: Reply<'_>, env: &Env<'_>) -> Step<Self> {
        let Self { mut draft, step, mut located } = self;
        let next = match step {
            ElderStep::AskFirstName => {
                draft.first_name = name(reply)?;
                ElderStep::AskLastName
            }
            ElderStep::AskLastName => {
                draft.last_name = name(reply)?;
                ElderStep::AskPhone
            }
            ElderStep::AskPhone => {
                draft.phone =
                    reply.text().and_then(|text| phone(&text)).ok_or(Text::new("answer-phone"))?;
                ElderStep::AskAddress
            }
            ElderStep::AskAddress => {
                draft.address = reply.text().ok_or(Text::new("answer-text"))?;
                located = locate(&mut draft, env);
                match located {
                    Located::Found { .. } => ElderStep::AskMobility,
                    Located::Unsure { .. } => ElderStep::AskCandidate,
                    _ => ElderStep::AskPlace,
                }
            }
            ElderStep::AskCandidate => match (reply, &located) {
                (Reply::Choice("none"), _) => ElderStep::AskPlace,
                (Reply::Choice(value), Located::Unsure { candidates }) => {
                    let index = value.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
                    let chosen = index.and_then(|index| candidates.get(index));
                    let chosen = chosen.ok_or(Text::new("answer-pick-one"))?.clone();
                    located = take(&mut draft, chosen, env);
                    ElderStep::AskMobility
                }
                // Coordinates or a neighbourhood typed instead of a pick.
                _ => {
                    (draft.at, draft.neighbourhood) = place(reply, env.geography)?;
                    ElderStep::AskMobility
                }
            },
            ElderStep::AskPlace => {
                (draft.at, draft.neighbourhood) = place(reply, env.geography)?;
                ElderStep::AskMobility
            }
            ElderStep::AskMobility => {
                draft.mobility = reply.text().unwrap_or_default();
                ElderStep::AskConsent
            }
            ElderStep::AskConsent => {
                draft.consent =
                    super::choices::read_yes_no(reply).ok_or(Text::new("answer-yes-no"))?;
                return Ok(Next::Done(Finished::Elder(draft)));
            }
        };
        Ok(Next::Ask(Self { draft, step: next, located }))
    }
}

/// What the address looked up before this answer says, the point taken
/// into the draft when the service is sure.
fn locate(draft: &mut ElderDraft, env: &Env<'_>) -> Located {
    let Some(looked_up) = env.looked_up.filter(|lookup| lookup.address == draft.address) else {
        return Located::NotAsked;
    };
    let Some(candidates) = looked_up.candidates.clone() else { return Located::Unreachable };
    match decide(candidates, env.min_score) {
        Found::Point(best) => take(draft, best, env),
        Found::Ask(candidates) => Located::Unsure { candidates },
        Found::Nothing => Located::NotFound,
    }
}

/// Places the elder at `candidate`.
fn take(draft: &mut ElderDraft, candidate: Candidate, env: &Env<'_>) -> Located {
    let hood = env.geography.locate(candidate.at);
    draft.at = Some(candidate.at);
    draft.neighbourhood = hood.map(|hood| hood.id.clone());
    Located::Found { label: candidate.label, neighbourhood: hood.map(|hood| hood.name.clone()) }
}

/// One choice per candidate, numbered from 1, and one for none of them.
fn candidate_choices(candidates: &[Candidate]) -> Vec<Choice> {
    let mut choices: Vec<Choice> = candidates
        .iter()
        .enumerate()
        .map(|(index, candidate)| {
            let label = Text::new("address-candidate").arg("label", candidate.label.clone());
            Choice::new((index + 1).to_string(), label)
        })
        .collect();
    choices.push(Choice::new("none", Text::new("choice-none-of-these")));
    choices
}

fn name(reply: Reply<'_>) -> Result<String, Text> {
    let name = reply.text().ok_or(Text::new("answer-text"))?;
    if name.chars().count() > 80 {
        return Err(Text::new("answer-text"));
    }
    Ok(name)
}

/// A phone number as digits, spaces, dots, dashes and a leading plus.
fn phone(typed: &str) -> Option<String> {
    let typed = typed.trim();
    let allowed = typed
        .chars()
        .enumerate()
        .all(|(index, c)| c.is_ascii_digit() || " .-".contains(c) || (index == 0 && c == '+'));
    let digits = typed.chars().filter(char::is_ascii_digit).count();
    (allowed && (6..=15).contains(&digits)).then(|| typed.to_owned())
}

/// Where the elder lives, as a shared location, `lat,lon`, or a
/// neighbourhood. A point outside every neighbourhood is kept: the
/// coordinator is told when the offer finds no group.
fn place(
    reply: Reply<'_>,
    geography: &Geography,
) -> Result<(Option<LatLon>, Option<String>), Text> {
    let at = match reply {
        Reply::Location(at) => Some(at),
        Reply::Text(text) => LatLon::parse(text),
        Reply::Choice(_) => None,
    };
    if let Some(at) = at {
        return Ok((Some(at), geography.locate(at).map(|hood| hood.id.clone())));
    }
    let typed = reply.text().ok_or(Text::new("answer-place"))?;
    match geography.resolve(&typed) {
        Some(hood) => Ok((None, Some(hood.id.clone()))),
        None => Err(Text::new("answer-place")),
    }
}

/// `elder_add` alone starts the dialogue; with arguments it reads
/// `First Last | phone | address | place | mobility notes`.
pub(crate) async fn add(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    if args.trim().is_empty() {
        return dialogue::start(ctx, Dialogue::ElderAdd(ElderDialogue::new())).await;
    }
    let draft = match one_line(args, ctx.deps.geography.as_ref()) {
        Ok(draft) => draft,
        Err(problem) => return refuse(problem),
    };
    register(ctx, draft).await
}

fn one_line(args: &str, geography: &Geography) -> Result<ElderDraft, Text> {
    let fields: Vec<&str> = args.split('|').map(str::trim).collect();
    let [names, phone_typed, address, place_typed, rest @ ..] = fields.as_slice() else {
        return Err(Text::new("usage-elder-add"));
    };
    let (first_name, last_name) = names.split_once(' ').ok_or(Text::new("usage-elder-add"))?;
    let (at, neighbourhood) = place(Reply::Text(place_typed), geography)?;
    let phone = phone(phone_typed).ok_or(Text::new("answer-phone"))?;
    if address.is_empty() || first_name.chars().count() > 80 || last_name.chars().count() > 80 {
        return Err(Text::new("usage-elder-add"));
    }
    Ok(ElderDraft {
        first_name: first_name.trim().to_owned(),
        last_name: last_name.trim().to_owned(),
        phone,
        address: address.chars().take(300).collect(),
        at,
        neighbourhood,
        mobility: rest.join(" ").chars().take(500).collect(),
        // Coordinators register an elder after the phone call in which
        // the elder asked for company: the one-line form records that.
        consent: true,
    })
}

pub(crate) async fn register(ctx: &mut Ctx<'_>, draft: ElderDraft) -> Flow {
    let me = ctx.person()?;
    if !draft.consent {
        ctx.reply_text(Text::new("elder-no-consent"));
        return Ok(());
    }
    let elder = NewElder {
        first_name: draft.first_name,
        last_name: draft.last_name,
        phone: draft.phone,
        address: draft.address,
        at: draft.at,
        neighbourhood: draft.neighbourhood.clone(),
        languages: Vec::new(),
        mobility: draft.mobility,
        caregiver: None,
        consent: true,
        created_at: ctx.now,
    };
    let id = ctx.tx.insert_elder(&elder).await?;
    ctx.tx.audit(me.id, "elder_add", &id.0.to_string(), ctx.now).await?;
    let hood = draft.neighbourhood.as_deref().and_then(|id| ctx.deps.geography.get(id));
    let text = match hood {
        Some(hood) => {
            Text::new("elder-registered").arg("elder", id.0).arg("neighbourhood", hood.name.clone())
        }
        None => Text::new("elder-registered-nowhere").arg("elder", id.0),
    };
    ctx.reply_text(text);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(phone("06 12 34 56 78").as_deref(), Some("06 12 34 56 78"));
        assert_eq!(phone("+33 6 12 34 56 78").as_deref(), Some("+33 6 12 34 56 78"));
        for bad in ["", "12", "06 12 ab", "1+2345678", "1234567890123456789"] {
            assert_eq!(phone(bad), None, "{bad}");
        }
    }

    #[test]
    fn one_line_needs_every_field() {
        let geography = Geography::default();
        assert!(one_line("Jeanne Martin | 0612345678", &geography).is_err());
        let draft =
            one_line("Jeanne Martin | 0612345678 | 1 rue X | 48.86,2.37 | cane", &geography);
        let draft = draft.unwrap();
        assert_eq!((draft.first_name.as_str(), draft.mobility.as_str()), ("Jeanne", "cane"));
        assert_eq!(draft.at, Some(LatLon { lat: 48.86, lon: 2.37 }));
    }
}
