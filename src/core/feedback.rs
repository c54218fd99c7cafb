//! The elder's side of an outing, recorded by a coordinator, and the
//! referrals a referent records after an alert.

use serde::{Deserialize, Serialize};

use super::choices::{outcome_question, rating_question, read_outcome, read_rating, yes_no};
use super::context::{Ctx, Flow, refuse};
use super::dialogue::{self, Dialogue, Finished, Next, Question, Reply, Step};
use super::effect::Text;
use super::model::{AlertId, Feedback, GroupKind, OfferNo, OfferStatus, Outcome, Referral, Report};
use super::parse;
use super::render;
use super::store::StoreError;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackDialogue {
    pub offer: OfferNo,
    pub step: FeedbackStep,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum FeedbackStep {
    AskOutcome,
    AskRating { outcome: Outcome },
    AskNote { outcome: Outcome, rating: Option<u8> },
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FeedbackAnswers {
    pub offer: OfferNo,
    pub outcome: Outcome,
    pub rating: Option<u8>,
    pub note: Option<String>,
}

impl FeedbackDialogue {
    pub(crate) fn question(&self) -> Question {
        match self.step {
            FeedbackStep::AskOutcome => {
                outcome_question(Text::new("feedback-ask-outcome").arg("number", self.offer.0))
            }
            FeedbackStep::AskRating { .. } => rating_question(Text::new("feedback-ask-rating")),
            FeedbackStep::AskNote { .. } => Question::new("note", Text::new("feedback-ask-note")),
        }
    }

    pub(crate) fn next(self, reply: Reply<'_>) -> Step<Self> {
        let offer = self.offer;
        let step = match self.step {
            FeedbackStep::AskOutcome => match read_outcome(reply) {
                Some(Outcome::TookPlace) => FeedbackStep::AskRating { outcome: Outcome::TookPlace },
                Some(outcome) => FeedbackStep::AskNote { outcome, rating: None },
                None => return Err(Text::new("answer-pick-one")),
            },
            FeedbackStep::AskRating { outcome } => {
                let rating = read_rating(reply).ok_or(Text::new("answer-rating"))?;
                FeedbackStep::AskNote { outcome, rating: Some(rating) }
            }
            FeedbackStep::AskNote { outcome, rating } => {
                let done = FeedbackAnswers { offer, outcome, rating, note: reply.text() };
                return Ok(Next::Done(Finished::Feedback(done)));
            }
        };
        Ok(Next::Ask(FeedbackDialogue { offer, step }))
    }
}

/// `feedback N`: a coordinator records what the elder said.
pub(crate) async fn start(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    let Some(number) = parse::offer_number(args) else {
        return refuse(Text::new("usage-feedback"));
    };
    let offer = super::offer::find(ctx, number).await?;
    let outing = [OfferStatus::Claimed, OfferStatus::Confirmed, OfferStatus::Done];
    if !outing.contains(&offer.status) {
        return refuse(Text::new("feedback-no-outing").arg("number", number.0));
    }
    if ctx.tx.feedback(number).await?.is_some() {
        return refuse(Text::new("feedback-already").arg("number", number.0));
    }
    let dialogue = FeedbackDialogue { offer: number, step: FeedbackStep::AskOutcome };
    dialogue::start(ctx, Dialogue::Feedback(dialogue)).await
}

pub(crate) async fn finish(ctx: &mut Ctx<'_>, done: FeedbackAnswers) -> Flow {
    let me = ctx.person()?;
    // Two coordinators may have opened the same feedback at once.
    if ctx.tx.feedback(done.offer).await?.is_some() {
        return refuse(Text::new("feedback-already").arg("number", done.offer.0));
    }
    let feedback = Feedback {
        offer: done.offer,
        by: me.id,
        outcome: done.outcome,
        rating: done.rating,
        note: done.note,
        at: ctx.now,
    };
    ctx.tx.insert_feedback(&feedback).await?;
    ctx.tx.audit(me.id, "feedback", &done.offer.to_string(), ctx.now).await?;
    ctx.reply_text(Text::new("feedback-recorded").arg("number", done.offer.0));
    if let Some(report) = ctx.tx.report(done.offer).await?
        && flag_if_divergent(ctx, &report, &feedback).await?
    {
        ctx.reply_text(Text::new("feedback-divergence").arg("number", done.offer.0));
    }
    Ok(())
}

/// Whether the volunteer's and the elder's accounts disagree enough for
/// a coordinator to look: one says it took place and the other not, or
/// one found it good and the other bad.
pub(crate) fn diverges(report: &Report, feedback: &Feedback) -> bool {
    let took_place = |outcome| outcome == Outcome::TookPlace;
    if took_place(report.outcome) != took_place(feedback.outcome) {
        return true;
    }
    match (report.rating, feedback.rating) {
        (Some(volunteer), Some(elder)) => volunteer.abs_diff(elder) >= 3,
        _ => false,
    }
}

/// Flags the offer and tells the staff room when the accounts diverge;
/// true when they did.
pub(crate) async fn flag_if_divergent(
    ctx: &mut Ctx<'_>,
    report: &Report,
    feedback: &Feedback,
) -> Result<bool, StoreError> {
    if !diverges(report, feedback) {
        return Ok(false);
    }
    ctx.tx.set_flagged(report.offer, true).await?;
    let text = Text::new("staff-divergence")
        .arg("number", report.offer.0)
        .arg("volunteer", render::outcome(report.outcome))
        .arg("elder", render::outcome(feedback.outcome));
    super::group::tell_room(ctx, GroupKind::Staff, text).await?;
    Ok(true)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferralDialogue {
    pub alert: AlertId,
    pub step: ReferralStep,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ReferralStep {
    AskService,
    AskAgreement { service: String },
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ReferralAnswers {
    pub alert: AlertId,
    pub service: String,
    pub elder_agreed: bool,
}

impl ReferralDialogue {
    pub(crate) fn question(&self) -> Question {
        match &self.step {
            ReferralStep::AskService => {
                let text = Text::new("referral-ask-service").arg("alert", self.alert.0);
                Question::new("service", text)
            }
            ReferralStep::AskAgreement { .. } => {
                Question::new("agreed", Text::new("referral-ask-agreement")).choices(yes_no())
            }
        }
    }

    pub(crate) fn next(self, reply: Reply<'_>) -> Step<Self> {
        let alert = self.alert;
        match self.step {
            ReferralStep::AskService => match reply.text() {
                Some(service) => {
                    let step = ReferralStep::AskAgreement { service };
                    Ok(Next::Ask(ReferralDialogue { alert, step }))
                }
                None => Err(Text::new("answer-text")),
            },
            ReferralStep::AskAgreement { service } => match super::choices::read_yes_no(reply) {
                Some(elder_agreed) => {
                    let done = ReferralAnswers { alert, service, elder_agreed };
                    Ok(Next::Done(Finished::Referral(done)))
                }
                None => Err(Text::new("answer-yes-no")),
            },
        }
    }
}

/// `referral N`: a referent records where an alert's elder was referred.
pub(crate) async fn start_referral(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    let Some(id) = parse::id_number(args).map(AlertId) else {
        return refuse(Text::new("usage-referral"));
    };
    match ctx.tx.alert(id).await {
        Ok(_) => {}
        Err(StoreError::NotFound) => return refuse(Text::new("alert-unknown").arg("alert", id.0)),
        Err(error) => return Err(error.into()),
    }
    let dialogue = ReferralDialogue { alert: id, step: ReferralStep::AskService };
    dialogue::start(ctx, Dialogue::Referral(dialogue)).await
}

pub(crate) async fn finish_referral(ctx: &mut Ctx<'_>, done: ReferralAnswers) -> Flow {
    let me = ctx.person()?;
    let referral = Referral {
        alert: done.alert,
        service: done.service,
        elder_agreed: done.elder_agreed,
        by: me.id,
        at: ctx.now,
    };
    ctx.tx.insert_referral(&referral).await?;
    ctx.tx.audit(me.id, "referral", &done.alert.0.to_string(), ctx.now).await?;
    ctx.reply_text(Text::new("referral-recorded").arg("alert", done.alert.0));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::PersonId;
    use chrono::Utc;

    fn report(outcome: Outcome, rating: Option<u8>) -> Report {
        Report {
            offer: OfferNo(1),
            person: PersonId(1),
            outcome,
            duration_min: None,
            rating,
            entered_home: false,
            concerns: Vec::new(),
            note: None,
            at: Utc::now(),
        }
    }

    fn feedback(outcome: Outcome, rating: Option<u8>) -> Feedback {
        Feedback { offer: OfferNo(1), by: PersonId(2), outcome, rating, note: None, at: Utc::now() }
    }

    #[test]
    fn divergence_cases() {
        use Outcome::*;
        let cases = [
            (TookPlace, Some(4), TookPlace, Some(3), false),
            (TookPlace, Some(4), ElderAbsent, None, true),
            (CancelledByElder, None, CancelledByVolunteer, None, false),
            (TookPlace, Some(4), TookPlace, Some(0), true),
            (TookPlace, Some(1), TookPlace, Some(3), false),
        ];
        for (said, rating, heard, elder_rating, expected) in cases {
            let found = diverges(&report(said, rating), &feedback(heard, elder_rating));
            assert_eq!(found, expected, "{said:?} {rating:?} / {heard:?} {elder_rating:?}");
        }
    }

    #[test]
    fn referral_asks_service_then_agreement() {
        let start = ReferralDialogue { alert: AlertId(3), step: ReferralStep::AskService };
        let Ok(Next::Ask(asked)) = start.next(Reply::Text("CLIC Paris Émeraude")) else {
            panic!("service not taken");
        };
        let Ok(Next::Done(Finished::Referral(done))) = asked.next(Reply::Choice("yes")) else {
            panic!("agreement not taken");
        };
        assert_eq!(done.service, "CLIC Paris Émeraude");
        assert!(done.elder_agreed);
    }
}
