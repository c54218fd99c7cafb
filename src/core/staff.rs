//! What coordinators do to people: verify volunteers, grant and revoke
//! roles. Both are privileged and written to the audit log.

use super::context::{Ctx, Flow, refuse};
use super::effect::{Message, Text};
use super::model::{Person, Role};
use super::parse;

/// Finds the person behind `@handle` on the sender's platform.
async fn named(ctx: &mut Ctx<'_>, typed: &str, usage: &str) -> Flow<Person> {
    let Some(handle) = parse::handle(typed) else {
        return refuse(Text::new(usage));
    };
    match ctx.tx.account_by_handle(ctx.event.platform(), handle).await? {
        Some((_, person)) => Ok(person),
        None => refuse(Text::new("person-unknown").arg("handle", handle.to_owned())),
    }
}

/// `verify @user`: staff checked their identity and they attended an
/// integration meeting.
pub(crate) async fn verify(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    let me = ctx.person()?;
    let target = named(ctx, args, "usage-verify").await?;
    if target.verified {
        ctx.reply_text(Text::new("already-verified").arg("name", target.name.clone()));
        return Ok(());
    }
    let name = target.name.clone();
    ctx.tx.update_person(&Person { verified: true, ..target.clone() }).await?;
    ctx.tx.audit(me.id, "verify", &target.id.0.to_string(), ctx.now).await?;
    ctx.reply_text(Text::new("verify-done").arg("name", name));
    let text = Text::new("you-are-verified");
    ctx.send_private(target.id, |lang| Message::new(lang, text)).await?;
    Ok(())
}

/// `role @user ROLE [off]`.
pub(crate) async fn role(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    let me = ctx.person()?;
    let words: Vec<&str> = args.split_whitespace().collect();
    let (handle, role, grant) = match words.as_slice() {
        [handle, role] => (*handle, *role, true),
        [handle, role, off] if ["off", "non", "retirer", "revoke"].contains(off) => {
            (*handle, *role, false)
        }
        _ => return refuse(Text::new("usage-role")),
    };
    let Ok(role) = role.parse::<Role>() else {
        return refuse(Text::new("usage-role"));
    };
    let target = named(ctx, handle, "usage-role").await?;
    if grant && role == Role::Ambassador && !target.verified {
        return refuse(Text::new("role-needs-verified").arg("name", target.name));
    }
    if !grant && role == Role::Coordinator && target.id == me.id {
        return refuse(Text::new("role-not-yourself"));
    }
    let roles = if grant { target.roles.with(role) } else { target.roles.without(role) };
    ctx.tx.update_person(&Person { roles, ..target.clone() }).await?;
    let action = if grant { "role_grant" } else { "role_revoke" };
    let detail = format!("{} {}", target.id.0, role.as_str());
    ctx.tx.audit(me.id, action, &detail, ctx.now).await?;
    let role_text = role_name(role);
    let id = if grant { "role-granted" } else { "role-revoked" };
    let text = Text::new(id).arg("name", target.name.clone()).arg("role", role_text.clone());
    ctx.reply_text(text);
    let told =
        Text::new(if grant { "you-got-role" } else { "you-lost-role" }).arg("role", role_text);
    ctx.send_private(target.id, |lang| Message::new(lang, told)).await?;
    Ok(())
}

fn role_name(role: Role) -> Text {
    Text::new(match role {
        Role::Ambassador => "role-ambassador",
        Role::Coordinator => "role-coordinator",
        Role::Referent => "role-referent",
    })
}
