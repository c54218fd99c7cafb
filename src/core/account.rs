//! Linking chat accounts to people.

use super::model::{Account, AccountRef, Person};
use super::store::{StoreError, Tx};

/// Links an account to a person, remembering their handle and, when they
/// wrote privately, the chat where the bot can reach them.
pub(crate) async fn link(
    tx: &mut dyn Tx,
    account: &AccountRef,
    person: &Person,
    handle: Option<String>,
    private_chat: Option<String>,
) -> Result<(), StoreError> {
    let account = Account { account: account.clone(), person: person.id, handle, private_chat };
    tx.upsert_account(&account).await
}
