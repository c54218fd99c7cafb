//! Groups: attaching a chat to neighbourhoods, greeting newcomers, and the
//! ambassadors' tools.

use chrono::{Datelike, NaiveTime};

use super::command::fold_accents;
use super::context::{Ctx, Flow, refuse};
use super::effect::{Action, Arg, Button, Effect, Message, Text};
use super::model::{Group, GroupKind, Member, Role};
use super::parse;
use super::render;
use super::store::StoreError;

/// Sends a text to every room of a kind; false when there is none.
pub(crate) async fn tell_room(
    ctx: &mut Ctx<'_>,
    kind: GroupKind,
    text: Text,
) -> Result<bool, StoreError> {
    let rooms = ctx.tx.groups_of_kind(kind).await?;
    for room in &rooms {
        let message = Message::new(room.lang, text.clone());
        ctx.push(Effect::Send { chat: room.chat.clone(), message });
    }
    if rooms.is_empty() {
        tracing::warn!(room = kind.as_str(), "no such room is linked; message not sent");
    }
    Ok(!rooms.is_empty())
}

/// `link_group 11 12`, `link_group staff` or `link_group medico`.
pub(crate) async fn link(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    let me = ctx.person()?;
    let words: Vec<&str> = args.split_whitespace().collect();
    let special = match words.as_slice() {
        [word] => fold_accents(&word.to_lowercase()),
        _ => String::new(),
    };
    let (kind, neighbourhoods) = match (words.as_slice(), special.as_str()) {
        ([], _) => return refuse(Text::new("usage-link-group")),
        (_, "staff" | "equipe") => (GroupKind::Staff, Vec::new()),
        (_, "medico" | "medico_social" | "medicosocial") => (GroupKind::MedicoSocial, Vec::new()),
        (words, _) => (GroupKind::Neighbourhood, neighbourhoods(ctx, words)?),
    };
    let previous = ctx.tx.group(&ctx.event.chat).await?;
    let group = Group {
        chat: ctx.event.chat.clone(),
        kind,
        title: previous.as_ref().map_or_else(|| ctx.event.chat.id.clone(), |g| g.title.clone()),
        neighbourhoods: neighbourhoods.clone(),
        lang: previous.map_or(ctx.deps.policy.default_lang, |group| group.lang),
    };
    ctx.tx.upsert_group(&group).await?;
    let detail = format!("{} {}", group.chat, neighbourhoods.join(","));
    ctx.tx.audit(me.id, "link_group", &detail, ctx.now).await?;
    let text = match kind {
        GroupKind::Neighbourhood => {
            let names = neighbourhoods.iter().filter_map(|id| ctx.deps.geography.get(id));
            let names = names.map(|hood| {
                Text::new("neighbourhood-name")
                    .arg("id", hood.id.clone())
                    .arg("name", hood.name.clone())
            });
            Text::new("group-linked").arg("neighbourhoods", Arg::List(names.collect()))
        }
        GroupKind::Staff => Text::new("group-linked-staff"),
        GroupKind::MedicoSocial => Text::new("group-linked-medico"),
    };
    ctx.reply(Message::new(group.lang, text));
    Ok(())
}

fn neighbourhoods(ctx: &Ctx<'_>, words: &[&str]) -> Flow<Vec<String>> {
    let mut ids = Vec::new();
    for word in words {
        match ctx.deps.geography.resolve(word) {
            Some(hood) if !ids.contains(&hood.id) => ids.push(hood.id.clone()),
            Some(_) => {}
            None => {
                let word: String = word.chars().take(40).collect();
                return refuse(Text::new("neighbourhood-unknown").arg("typed", word));
            }
        }
    }
    Ok(ids)
}

/// Someone joined a group: verified volunteers are welcomed, others are
/// invited to sign up and the group's ambassadors are told. A platform
/// may tell of one join twice (Telegram sends a service message and a
/// member update, with different ids): a known member is greeted once.
pub(crate) async fn on_join(ctx: &mut Ctx<'_>) -> Flow {
    let Some(group) = ctx.tx.group(&ctx.event.chat).await? else { return Ok(()) };
    let members = ctx.tx.members(&group.chat).await?;
    let known = members.iter().any(|member| member.user == ctx.event.sender.user);
    let person = ctx.me.as_ref().map(|(_, person)| person.clone());
    let verified = person.as_ref().is_some_and(|person| person.verified);
    let member = Member {
        chat: group.chat.clone(),
        user: ctx.event.sender.user.clone(),
        name: ctx.event.sender.name.clone(),
        handle: ctx.event.sender.handle.clone(),
        person: person.as_ref().map(|person| person.id),
        verified,
    };
    ctx.tx.upsert_member(&member).await?;
    if known {
        return Ok(());
    }
    let name = ctx.event.sender.name.clone();
    if verified {
        let text = Text::new("welcome-verified").arg("name", name);
        ctx.reply(Message::new(group.lang, text));
        return Ok(());
    }
    let sign_up = Button {
        label: Text::new("button-sign-up"),
        action: Action::StartPrivate("signup".to_owned()),
    };
    let text = Text::new("welcome-unverified").arg("name", name.clone());
    ctx.reply(Message::new(group.lang, text).row(vec![sign_up]));
    tell_ambassadors(ctx, &group, Text::new("ambassador-unverified-joined").arg("name", name)).await
}

pub(crate) async fn tell_ambassadors(ctx: &mut Ctx<'_>, group: &Group, text: Text) -> Flow {
    let members = ctx.tx.members(&group.chat).await?;
    for person in members.iter().filter_map(|member| member.person) {
        if ctx.tx.person(person).await?.roles.has(Role::Ambassador) {
            let text = text.clone().arg("group", group.title.clone());
            ctx.send_private(person, |lang| Message::new(lang, text)).await?;
        }
    }
    Ok(())
}

/// The bot was added to a group. Until a coordinator links it the group
/// is served nothing, so the bot says how to link it; a group linked
/// before (the bot removed, then added back) goes on as it was.
pub(crate) async fn on_bot_added(ctx: &mut Ctx<'_>) -> Flow {
    if ctx.event.private || ctx.tx.group(&ctx.event.chat).await?.is_some() {
        return Ok(());
    }
    let lang = ctx.deps.policy.default_lang;
    ctx.reply(Message::new(lang, Text::new("bot-added-unlinked")));
    Ok(())
}

/// The bot was removed from a group it served: nothing reaches that
/// group any more, so the staff room is told, with who removed it.
pub(crate) async fn on_bot_removed(ctx: &mut Ctx<'_>) -> Flow {
    let Some(group) = ctx.tx.group(&ctx.event.chat).await? else { return Ok(()) };
    let text = Text::new("staff-bot-removed")
        .arg("group", group.title.clone())
        .arg("by", ctx.event.sender.name.clone());
    tell_room(ctx, GroupKind::Staff, text).await?;
    Ok(())
}

pub(crate) async fn on_leave(ctx: &mut Ctx<'_>) -> Flow {
    let user = ctx.event.sender.user.clone();
    ctx.tx.remove_member(&ctx.event.chat, &user).await?;
    Ok(())
}

/// `members`: the group's members who are not verified volunteers.
pub(crate) async fn members(ctx: &mut Ctx<'_>) -> Flow {
    let members = ctx.tx.members(&ctx.event.chat).await?;
    let unverified: Vec<Text> = members
        .iter()
        .filter(|member| !member.verified)
        .map(|member| {
            Text::new("member-line")
                .arg("name", member.name.clone())
                .arg("user", member.user.clone())
        })
        .collect();
    let text = if unverified.is_empty() {
        Text::new("members-all-verified")
    } else {
        let count = i64::try_from(unverified.len()).unwrap_or(0);
        Text::new("members-unverified").arg("count", count).arg("members", Arg::List(unverified))
    };
    ctx.reply_text(text);
    Ok(())
}

/// `remove @user`: takes a member out of this neighbourhood group. Staff
/// and other ambassadors are not the ambassadors' to remove.
pub(crate) async fn remove(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    let me = ctx.person()?;
    let Some(handle) = parse::handle(args) else {
        return refuse(Text::new("usage-remove"));
    };
    let group = ctx.tx.group(&ctx.event.chat).await?;
    if group.is_none_or(|group| group.kind != GroupKind::Neighbourhood) {
        return refuse(Text::new("remove-not-here"));
    }
    let member = find_member(ctx, handle).await?;
    if let Some(person) = member.person {
        let roles = ctx.tx.person(person).await?.roles;
        if roles.is_staff() || roles.has(Role::Ambassador) {
            return refuse(Text::new("remove-not-allowed").arg("name", member.name));
        }
    }
    ctx.tx.remove_member(&ctx.event.chat, &member.user).await?;
    ctx.tx.audit(me.id, "remove", &format!("{} {}", ctx.event.chat, member.user), ctx.now).await?;
    ctx.push(Effect::RemoveMember { chat: ctx.event.chat.clone(), user: member.user.clone() });
    ctx.reply_text(Text::new("member-removed").arg("name", member.name));
    Ok(())
}

/// `pin N`: pins the group's post of outing N, one the group should not
/// miss. If the bot lacks the right to pin there, the platform's refusal
/// is told to the group once delivery meets it.
pub(crate) async fn pin(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    let Some(number) = parse::offer_number(args) else {
        return refuse(Text::new("usage-pin"));
    };
    let me = ctx.person()?;
    let offer = super::offer::find(ctx, number).await?;
    let (chat, key) = (ctx.event.chat.clone(), render::post_key(&offer));
    if !ctx.tx.posts(&key).await?.contains(&chat) {
        return refuse(Text::new("pin-not-posted-here").arg("number", number.0));
    }
    ctx.tx.audit(me.id, "pin", &format!("{chat} {number}"), ctx.now).await?;
    ctx.push(Effect::Pin { chat, key });
    Ok(())
}

/// The member a handle names: through the account that carries it, or
/// where the platform's user id is the handle itself.
async fn find_member(ctx: &mut Ctx<'_>, handle: &str) -> Flow<Member> {
    let platform = ctx.event.platform();
    let user = match ctx.tx.account_by_handle(platform, handle).await? {
        Some((account, _)) => account.account.user,
        None => handle.to_owned(),
    };
    let members = ctx.tx.members(&ctx.event.chat).await?;
    let named = |member: &Member| {
        member.user.eq_ignore_ascii_case(&user)
            || member.handle.as_deref().is_some_and(|known| known.eq_ignore_ascii_case(handle))
    };
    match members.into_iter().find(named) {
        Some(member) => Ok(member),
        None => refuse(Text::new("member-unknown").arg("user", handle.to_owned())),
    }
}

/// `stats`: figures for this group, or for everything when a coordinator
/// asks privately.
pub(crate) async fn stats(ctx: &mut Ctx<'_>) -> Flow {
    let me = ctx.person()?;
    let group = ctx.tx.group(&ctx.event.chat).await?;
    let scope = match (&group, ctx.event.private) {
        (Some(group), false) => Some(group.neighbourhoods.clone()),
        _ if me.roles.has(Role::Coordinator) => None,
        _ => return refuse(Text::new("stats-in-group")),
    };
    let local = ctx.now.with_timezone(&ctx.deps.policy.timezone).date_naive();
    let first = local.with_day(1).unwrap_or(local);
    let month_start =
        parse::local_instant(first, NaiveTime::MIN, ctx.deps.policy.timezone).unwrap_or(ctx.now);
    let figures = ctx.tx.figures(scope.as_deref(), month_start, ctx.now).await?;
    let text = Text::new("stats-figures")
        .arg("open", figures.open_offers)
        .arg("outings", figures.outings_this_month)
        .arg("active", figures.active_volunteers)
        .arg("idle", figures.idle_volunteers);
    ctx.reply_text(text);
    Ok(())
}
