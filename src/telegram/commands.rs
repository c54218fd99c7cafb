//! The command menus Telegram shows: volunteers' commands in private
//! chats, ambassadors' to group administrators, in French by default and
//! in English for clients set to English.

use teloxide::Bot;
use teloxide::payloads::SetMyCommandsSetters;
use teloxide::prelude::Requester;
use teloxide::types::{BotCommand, BotCommandScope};

use crate::core::Command;
use crate::core::model::Lang;
use crate::i18n::Localizer;

/// What a volunteer reaches for in a private chat.
const PRIVATE: [Command; 11] = [
    Command::Offers,
    Command::Claim,
    Command::Release,
    Command::Report,
    Command::Profile,
    Command::Help,
    Command::Start,
    Command::Language,
    Command::Cancel,
    Command::MyData,
    Command::ForgetMe,
];

/// What an ambassador uses in their groups.
const GROUP_ADMIN: [Command; 6] = [
    Command::Offers,
    Command::Members,
    Command::Remove,
    Command::Pin,
    Command::Stats,
    Command::Help,
];

/// Publishes the menus. A failure is logged and the bot goes on: the
/// commands work without a menu.
pub async fn publish(bot: &Bot, localizer: &Localizer) {
    let menus = [
        (BotCommandScope::AllPrivateChats, &PRIVATE[..]),
        (BotCommandScope::AllChatAdministrators, &GROUP_ADMIN[..]),
    ];
    for (scope, commands) in menus {
        for lang in Lang::ALL {
            let menu = commands.iter().map(|command| {
                BotCommand::new(command.name(lang), localizer.render(lang, &command.help()))
            });
            let mut request = bot.set_my_commands(menu).scope(scope.clone());
            if lang != Lang::Fr {
                request = request.language_code(lang.as_str());
            }
            if let Err(error) = request.await {
                tracing::warn!(%error, lang = lang.as_str(), "cannot publish the command menu");
            }
        }
    }
}
