//! Routes an event to the handler for its kind, after the checks every
//! event gets: size, role, and the kind of chat it came from.

use super::command::{Command, Place};
use super::context::{Ctx, Flow, Stop, refuse};
use super::dialogue::{self, Finished, Input, Progress};
use super::effect::{Action, Button, Message, Text};
use super::event::{EventKind, MAX_TEXT_BYTES};
use super::model::LatLon;
use super::profile::{self, ProfileChange};
use super::{account, claim, elder, feedback, group, notes, offer, publish, remind, report, staff};
use crate::core::model::Area;

/// Longest button data the bot ever writes; anything longer is forged.
const MAX_BUTTON_BYTES: usize = 64;

pub(crate) async fn dispatch(ctx: &mut Ctx<'_>) -> Flow {
    let event = ctx.event;
    match &event.kind {
        EventKind::Command { name, args } => {
            if name.len() + args.len() > MAX_TEXT_BYTES {
                return refuse(Text::new("input-too-long"));
            }
            command(ctx, name, args).await
        }
        EventKind::Text(text) => on_text(ctx, text).await,
        EventKind::Button(data) if data.len() <= MAX_BUTTON_BYTES => on_button(ctx, data).await,
        EventKind::Button(_) => refuse(Text::new("button-stale")),
        EventKind::Location(at) => on_location(ctx, *at).await,
        EventKind::MemberJoined => group::on_join(ctx).await,
        EventKind::MemberLeft => group::on_leave(ctx).await,
        EventKind::BotAdded => group::on_bot_added(ctx).await,
        EventKind::BotRemoved => group::on_bot_removed(ctx).await,
    }
}

async fn command(ctx: &mut Ctx<'_>, name: &str, args: &str) -> Flow {
    let Some(command) = Command::parse(name) else {
        // In a group an unknown command is likely meant for another bot.
        if !ctx.event.private {
            return Ok(());
        }
        let typed: String = name.chars().take(32).collect();
        return refuse(Text::new("command-unknown").arg("command", typed));
    };
    let person = ctx.me.as_ref().map(|(_, person)| person);
    if !command.permits(person) {
        let id = if person.is_some() { "refused-role" } else { "refused-not-registered" };
        return refuse(Text::new(id));
    }
    match (command.place(), ctx.event.private) {
        (Place::Private, false) => return private_only(ctx),
        (Place::Group, true) => return refuse(Text::new("command-group-only")),
        _ => {}
    }
    run(ctx, command, args).await
}

/// Answers a private command typed in a group with a way to go private,
/// so that nothing personal is asked for in front of everyone.
fn private_only(ctx: &mut Ctx<'_>) -> Flow {
    let button = Button {
        label: Text::new("button-open-private-chat"),
        action: Action::StartPrivate("help".to_owned()),
    };
    ctx.reply(Message::new(ctx.lang, Text::new("command-private-only")).row(vec![button]));
    Ok(())
}

async fn run(ctx: &mut Ctx<'_>, command: Command, args: &str) -> Flow {
    match command {
        Command::Start => account::start(ctx, args).await,
        Command::Help => {
            account::help(ctx);
            Ok(())
        }
        Command::Cancel => cancel(ctx).await,
        Command::Language => account::language(ctx, args).await,
        Command::Offers => publish::list(ctx).await,
        Command::Claim => claim::claim(ctx, args).await,
        Command::Release => claim::release(ctx, args).await,
        Command::Report => report::start(ctx, args).await,
        Command::Profile => profile::profile(ctx, args).await,
        Command::MyData => account::my_data(ctx).await,
        Command::ForgetMe => account::forget_me(ctx).await,
        Command::ElderAdd => elder::add(ctx, args).await,
        Command::OfferNew => offer::create(ctx, args).await,
        Command::OfferCancel => publish::cancel(ctx, args).await,
        Command::Asked => notes::list_asked(ctx, args).await,
        Command::Feedback => feedback::start(ctx, args).await,
        Command::Verify => staff::verify(ctx, args).await,
        Command::Role => staff::role(ctx, args).await,
        Command::LinkGroup => group::link(ctx, args).await,
        Command::Members => group::members(ctx).await,
        Command::Remove => group::remove(ctx, args).await,
        Command::Pin => group::pin(ctx, args).await,
        Command::Stats => group::stats(ctx).await,
        Command::Referral => feedback::start_referral(ctx, args).await,
    }
}

/// `cancel`: leaves the open dialogue, if any.
async fn cancel(ctx: &mut Ctx<'_>) -> Flow {
    let open = dialogue::load(ctx).await?.is_some();
    dialogue::save(ctx, None).await?;
    ctx.reply_text(Text::new(if open { "dialogue-cancelled" } else { "dialogue-none" }));
    Ok(())
}

async fn on_text(ctx: &mut Ctx<'_>, text: &str) -> Flow {
    if text.len() > MAX_TEXT_BYTES {
        // Long chatter in a group is none of the bot's business.
        return if ctx.event.private { refuse(Text::new("input-too-long")) } else { Ok(()) };
    }
    if ctx.me.is_none() {
        return if ctx.event.private {
            refuse(Text::new("refused-not-registered"))
        } else {
            Ok(())
        };
    }
    match dialogue::on_input(ctx, Input::Text(text)).await? {
        Progress::Finished(finished) => finish(ctx, finished).await,
        Progress::NoDialogue if ctx.event.private => {
            ctx.reply_text(Text::new("text-no-dialogue"));
            Ok(())
        }
        Progress::NoDialogue | Progress::Asked => Ok(()),
    }
}

async fn on_button(ctx: &mut Ctx<'_>, data: &str) -> Flow {
    if ctx.me.is_none() {
        return refuse(Text::new("refused-not-registered"));
    }
    let (action, rest) = data.split_once(':').unwrap_or((data, ""));
    match action {
        "d" => {
            let (tag, value) = rest.split_once(':').unwrap_or((rest, ""));
            match dialogue::on_input(ctx, Input::Button { tag, value }).await? {
                Progress::Finished(finished) => finish(ctx, finished).await,
                Progress::NoDialogue | Progress::Asked => Ok(()),
            }
        }
        "claim" => claim::claim(ctx, rest).await,
        "decline" => notes::decline(ctx, rest).await,
        "release" => claim::release(ctx, rest).await,
        "report" => report::start(ctx, rest).await,
        "contact" => remind::on_contact_button(ctx, rest).await,
        "profile" => profile::on_button(ctx, rest).await,
        "forget" => account::on_forget_button(ctx, rest).await,
        "consent" => account::consent(ctx).await,
        _ => refuse(Text::new("button-stale")),
    }
}

async fn on_location(ctx: &mut Ctx<'_>, at: LatLon) -> Flow {
    if ctx.me.is_none() || !ctx.event.private {
        return Ok(());
    }
    match dialogue::on_input(ctx, Input::Location(at)).await? {
        Progress::Finished(finished) => finish(ctx, finished).await,
        // A location shared outside any dialogue sets the volunteer's area.
        Progress::NoDialogue => profile::apply(ctx, ProfileChange::Area(Area::Point { at })).await,
        Progress::Asked => Ok(()),
    }
}

/// Hands a finished dialogue to its command. A refusal there ends the
/// dialogue with the reason, rather than leaving the person stuck on a
/// last step that can never succeed.
async fn finish(ctx: &mut Ctx<'_>, finished: Finished) -> Flow {
    match complete(ctx, finished).await {
        Err(Stop::Refuse(problem)) => {
            ctx.reply_text(problem.clone());
            ctx.reply_text(Text::new("dialogue-ended"));
            Ok(())
        }
        other => other,
    }
}

async fn complete(ctx: &mut Ctx<'_>, finished: Finished) -> Flow {
    // A dialogue may outlive the role that opened it.
    let command = match &finished {
        Finished::Elder(_) => Command::ElderAdd,
        Finished::Offer(_) => Command::OfferNew,
        Finished::Report(_) => Command::Report,
        Finished::Feedback(_) => Command::Feedback,
        Finished::Referral(_) => Command::Referral,
        Finished::Profile(_) => Command::Profile,
    };
    if !command.permits(ctx.me.as_ref().map(|(_, person)| person)) {
        return refuse(Text::new("refused-role"));
    }
    match finished {
        Finished::Elder(draft) => elder::register(ctx, draft).await,
        Finished::Offer(draft) => publish::publish(ctx, draft).await,
        Finished::Report(answers) => report::finish(ctx, answers).await,
        Finished::Feedback(answers) => feedback::finish(ctx, answers).await,
        Finished::Referral(answers) => feedback::finish_referral(ctx, answers).await,
        Finished::Profile(change) => profile::apply(ctx, change).await,
    }
}
