//! Groups on Telegram: joins told twice, the bot added and removed,
//! pins, and presses on buttons the bot never made.

use super::{ALICE, CLAIRE, DAVE, GROUP_11, STAFF, post_of_offer, sent_to_contains, serve};
use super::{set_up, until};

#[tokio::test]
async fn a_join_told_by_a_service_message_and_a_member_update_greets_once() {
    let served = serve().await;
    let fake = &served.fake;
    set_up(fake).await;
    fake.push_private_text(CLAIRE, &format!("/role @u{ALICE} ambassador"));
    fake.push_member_change(GROUP_11, ALICE, true);
    fake.push_join_message(GROUP_11, DAVE);
    fake.push_member_change(GROUP_11, DAVE, true);
    fake.push_group_text(GROUP_11, CLAIRE, "/aide");
    until("the help after both", || sent_to_contains(fake, GROUP_11, "/offres")).await;
    until("Alice told", || sent_to_contains(fake, ALICE, "sans être")).await;

    let greetings = fake.texts_to(GROUP_11).iter().filter(|t| t.contains("inscrivez")).count();
    let told = fake.texts_to(ALICE).iter().filter(|t| t.contains("sans être")).count();
    assert_eq!((greetings, told), (1, 1));
}

#[tokio::test]
async fn the_bot_added_to_a_group_says_how_to_link_it_and_removed_tells_the_staff() {
    let served = serve().await;
    let fake = &served.fake;
    set_up(fake).await;
    let new_group = -1_001_000_000_020;
    fake.push_own_change(new_group, CLAIRE, true);
    until("how to link it", || sent_to_contains(fake, new_group, "/lier_groupe")).await;

    fake.remove_bot_from(GROUP_11);
    fake.push_own_change(GROUP_11, CLAIRE, false);
    until("the staff told", || sent_to_contains(fake, STAFF, "m'a retiré du groupe")).await;
}

#[tokio::test]
async fn a_pin_without_the_right_is_explained_in_the_group() {
    let served = serve().await;
    let fake = &served.fake;
    set_up(fake).await;
    fake.push_private_text(CLAIRE, &format!("/role @u{ALICE} ambassador"));
    let post = post_of_offer(&served).await;
    fake.push_group_text(GROUP_11, ALICE, "/epingler 101");
    let pinned = || {
        let calls = fake.calls("pinChatMessage");
        calls.iter().any(|call| call.status == 200 && call.body["message_id"] == post)
    };
    until("the post pinned", pinned).await;

    fake.demote_bot_in(GROUP_11);
    fake.push_group_text(GROUP_11, ALICE, "/pin 101");
    until("the group told", || sent_to_contains(fake, GROUP_11, "droit d'épingler")).await;
}

#[tokio::test]
async fn a_press_on_a_button_the_bot_never_made_is_answered() {
    let served = serve().await;
    let fake = &served.fake;
    fake.push_private_text(ALICE, "/start");
    until("the welcome", || sent_to_contains(fake, ALICE, "Bienvenue")).await;
    fake.push_foreign_callback(ALICE, ALICE, Some("forged:1"));
    fake.push_foreign_callback(ALICE, ALICE, None);
    let answered = || fake.calls("answerCallbackQuery").iter().filter(|c| c.status == 200).count();
    until("both presses answered", || answered() == 2).await;
}
