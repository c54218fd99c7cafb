//! A person's own account: signing up, language, help, and their data.

use super::claim;
use super::command::{Command, Place};
use super::context::{Ctx, Flow, refuse};
use super::effect::{Arg, Button, Message, Text};
use super::model::{Account, Lang, Person, Platform, Report};
use super::profile;
use super::render;
use super::store::NewPerson;

/// `start [payload]`: signs a newcomer up, greets someone known, and
/// carries on with what a deep link asked for.
pub(crate) async fn start(ctx: &mut Ctx<'_>, payload: &str) -> Flow {
    let person = match ctx.me.clone() {
        Some((_, person)) => {
            let text = Text::new("start-welcome-back").arg("name", person.name.clone());
            ctx.reply_text(text);
            person
        }
        None => sign_up(ctx).await?,
    };
    if let Some(number) = payload.trim().strip_prefix("claim-") {
        if person.verified {
            return claim::claim(ctx, number).await;
        }
        ctx.reply_text(Text::new("claim-unverified"));
    }
    Ok(())
}

async fn sign_up(ctx: &mut Ctx<'_>) -> Flow<Person> {
    let sender = &ctx.event.sender;
    let name: String = sender.name.chars().take(80).collect();
    let policy = &ctx.deps.policy;
    let new = NewPerson {
        name,
        lang: policy.default_lang,
        radius_km: policy.default_radius_km,
        at: ctx.now,
    };
    let person = ctx.tx.insert_person(&new).await?;
    let linked = Account {
        account: ctx.event.account(),
        person: person.id,
        handle: sender.handle.clone(),
        private_chat: Some(ctx.event.chat.id.clone()),
    };
    ctx.tx.upsert_account(&linked).await?;
    ctx.me = Some((linked, person.clone()));
    let consent = Button::press(Text::new("button-consent"), "consent");
    let text = Text::new("start-welcome").arg("name", person.name.clone());
    let message = Message::new(ctx.lang, text).then(Text::new("start-charter")).row(vec![consent]);
    ctx.reply(message);
    Ok(person)
}

/// The consent button under the welcome message.
pub(crate) async fn consent(ctx: &mut Ctx<'_>) -> Flow {
    let me = ctx.person()?;
    if me.consent_at.is_none() {
        ctx.tx.update_person(&Person { consent_at: Some(ctx.now), ..me }).await?;
    }
    ctx.answer(Some(Text::new("consent-recorded")));
    ctx.reply_text(Text::new("consent-next-steps"));
    Ok(())
}

/// `language fr|en`.
pub(crate) async fn language(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    let Ok(lang) = args.parse::<Lang>() else {
        return refuse(Text::new("usage-language"));
    };
    let me = ctx.person()?;
    ctx.tx.update_person(&Person { lang, ..me }).await?;
    ctx.lang = lang;
    ctx.reply_text(Text::new("language-set"));
    Ok(())
}

/// `help`: the commands this person may use here, in their language.
pub(crate) fn help(ctx: &mut Ctx<'_>) {
    let person = ctx.me.as_ref().map(|(_, person)| person);
    let private = ctx.event.private;
    let prefix = match ctx.event.platform() {
        Platform::Matrix => "!",
        Platform::Console | Platform::Telegram => "/",
    };
    let lines = Command::ALL
        .into_iter()
        .filter(|command| command.permits(person))
        .filter(|command| match command.place() {
            Place::Anywhere => true,
            Place::Private => private,
            Place::Group => !private,
        })
        .map(|command| {
            let name = format!("{prefix}{}", command.name(ctx.lang));
            Text::new("help-line").arg("command", name).arg("does", command.help())
        });
    let text = Text::new("help-list").arg("commands", Arg::Lines(lines.collect()));
    ctx.reply_text(text);
}

/// `my_data`: everything the service keeps about the sender.
pub(crate) async fn my_data(ctx: &mut Ctx<'_>) -> Flow {
    let me = ctx.person()?;
    let accounts = ctx.tx.accounts_of(me.id).await?;
    let accounts = accounts.iter().map(|account| {
        let shown = format!("{}:{}", account.account.platform.as_str(), account.account.user);
        Text::new("data-account").arg("account", shown)
    });
    let held = ctx.tx.claims_of(me.id).await?;
    let held = held.iter().map(|offer| Text::new("data-claim").arg("number", offer.number.0));
    let reports = ctx.tx.reports_by(me.id).await?;
    let reports = reports.iter().map(report_line);
    let consent = me.consent_at.map_or(Text::new("data-no-consent").into(), Arg::Date);
    let text = Text::new("my-data")
        .arg("created", Arg::Date(me.created_at))
        .arg("consent", consent)
        .arg("accounts", lines_or_none(accounts.collect()))
        .arg("claims", lines_or_none(held.collect()))
        .arg("reports", lines_or_none(reports.collect()));
    let profile = profile::show(&me, ctx.lang);
    ctx.reply(Message { buttons: Vec::new(), ..profile }.then(text));
    Ok(())
}

fn lines_or_none(lines: Vec<Text>) -> Arg {
    if lines.is_empty() { Text::new("data-none").into() } else { Arg::Lines(lines) }
}

/// A report as its author gave it, every answer included.
fn report_line(report: &Report) -> Text {
    let concerns = if report.concerns.is_empty() {
        Text::new("data-none").into()
    } else {
        Arg::List(report.concerns.iter().copied().map(render::concern).collect())
    };
    let yes_no = |yes: bool| Text::new(if yes { "choice-yes" } else { "choice-no" });
    Text::new("data-report")
        .arg("number", report.offer.0)
        .arg("at", Arg::Date(report.at))
        .arg("outcome", render::outcome(report.outcome))
        .arg("rating", report.rating.map_or(-1, i64::from))
        .arg("home", yes_no(report.entered_home))
        .arg("concerns", concerns)
        .arg(
            "note",
            report.note.as_ref().map_or(Arg::Str(String::new()), |note| {
                Text::new("data-note").arg("note", note.clone()).into()
            }),
        )
}

/// `forget_me`: asks for confirmation first.
pub(crate) async fn forget_me(ctx: &mut Ctx<'_>) -> Flow {
    let me = ctx.person()?;
    refuse_while_holding(ctx, &me).await?;
    let yes = Button::press(Text::new("button-forget-confirm"), "forget:yes");
    let no = Button::press(Text::new("button-forget-keep"), "forget:no");
    ctx.reply(Message::new(ctx.lang, Text::new("forget-confirm")).row(vec![yes, no]));
    Ok(())
}

/// The buttons under the `forget_me` question.
pub(crate) async fn on_forget_button(ctx: &mut Ctx<'_>, answer: &str) -> Flow {
    let me = ctx.person()?;
    if answer != "yes" {
        ctx.answer(Some(Text::new("forget-kept")));
        return Ok(());
    }
    refuse_while_holding(ctx, &me).await?;
    ctx.tx.erase_person(me.id).await?;
    ctx.tx.audit(me.id, "forget_me", "", ctx.now).await?;
    ctx.answer(Some(Text::new("forget-done")));
    ctx.reply_text(Text::new("forget-done"));
    Ok(())
}

/// An outing someone holds needs them: they give it back before leaving.
async fn refuse_while_holding(ctx: &mut Ctx<'_>, me: &Person) -> Flow {
    match ctx.tx.claims_of(me.id).await?.first() {
        Some(offer) => refuse(Text::new("forget-release-first").arg("number", offer.number.0)),
        None => Ok(()),
    }
}
