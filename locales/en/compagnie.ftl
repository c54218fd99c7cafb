## General answers

error-internal = Sorry, something went wrong on our side. Please try again in a moment.
refused-not-registered = I don't know you yet: send me /start in a private message to sign up.
refused-role = This command belongs to other roles. Type /help to see yours.
command-unknown = I don't know the command "{ $command }". Type /help for the list.
command-private-only = Let's talk privately: this command deals with personal details.
command-group-only = Use this command in the group it is about.
input-too-long = This message is too long for me. Could you shorten it?
text-no-dialogue = I'm not waiting for an answer from you right now. Type /help to see what I can do.
button-stale = This button no longer applies.
dialogue-cancelled = Cancelled. Nothing was saved.
dialogue-none = There is nothing in progress to cancel.
dialogue-ended = That's as far as this goes; you can start again whenever you like.

## Answers expected in a dialogue

answer-pick-one = Please pick one of the answers offered (button or number).
answer-text = I need a written answer.
answer-yes-no = Please answer yes or no.
answer-duration = I didn't understand the duration. Examples: 2h, 1h30, 90min.
answer-rating = Give a rating from 0 (very bad) to 4 (very good).
answer-phone = This phone number doesn't look valid. Example: 06 12 34 56 78.
answer-place = I couldn't find this place. Share a location, type coordinates (48.86,2.37) or an arrondissement number (11).
answer-when = I didn't understand the date. Examples: 10/12 14:30, tomorrow 9h, 2026-12-10 14h.
answer-elder = Give the file number of the person to accompany (for example 4).
answer-kind = Unknown kind of outing. Possible: medical, administrative, leisure, shopping, culture, call, mission.
answer-need = Unknown need. Possible: +wheelchair, +walker, +visual, +language.
answer-radius = Give a radius in kilometres, between 0.1 and 50.
answer-slots = I didn't understand these times. Example: mon 9-12, wed 14h-18h.
answer-pause = Give a future date (31/01/2027) or "no" to end the pause.
choice-yes = Yes
choice-no = No
choice-done = That's all
choice-no-concern = No concern
choice-no-need = No particular need
choice-publish = Publish
choice-discard = Discard

## Vocabulary

kind-medical = Medical appointment
kind-administrative = Administrative errand
kind-leisure = Walk, leisure
kind-shopping = Shopping
kind-culture = Cultural outing
kind-convivial-call = Friendly phone call
kind-special-mission = Special mission
need-wheelchair = wheelchair
need-walking-frame = walking frame
need-visual-impairment = visual impairment
need-language = interpreter
need-none = none
concern-isolation = isolation
concern-mobility = mobility
concern-health = health
concern-memory = memory
concern-home = home conditions
concern-money = money
concern-other = other
outcome-took-place = The outing took place
outcome-elder-absent = The person was not there
outcome-cancelled-by-elder = Cancelled by the person
outcome-cancelled-by-volunteer = Cancelled by the volunteer
duration-hm = { $hours ->
        [0] { $minutes } min
       *[other] { $hours } h{ $minutes ->
            [0] {""}
           *[other] {" "}{ $minutes }
        }
    }
rating-value = { $rating ->
        [0] 0 · very bad
        [1] 1 · rather bad
        [2] 2 · fine
        [3] 3 · good
       *[4] 4 · very good
    }
place-phone = by phone
place-unknown = neighbourhood not given
neighbourhood-name = { $name } ({ $id })
role-ambassador = an ambassador
role-coordinator = a coordinator
role-referent = a medico-social referent

## Sign-up, language, help

start-welcome = Welcome { $name }! I'm the compagnie bot: I offer you outings with older people in your neighbourhood.
start-charter = Our charter: we don't enter the home, we don't use a personal vehicle, we don't handle money, and we always call the person before coming. The team will check your identity document and invite you to a welcome meeting before your first outing.
start-welcome-back = Hello { $name }! Type /offers to see the outings offered near you.
button-consent = I accept the charter
consent-recorded = Thank you, noted.
consent-next-steps = Thank you! You can set your neighbourhood and availability with /profile. As soon as the team has verified you, you can take outings.
language-set = Noted, I'll speak English with you.
help-list = What you can do here:
    { $commands }
help-line = { $command }: { $does }
help-start = sign up or say hello
help-help = this help
help-cancel = drop what is in progress
help-language = change language (fr or en)
help-offers = see the outings offered
help-claim = take an outing, for example /claim 142
help-release = give back an outing you can no longer do
help-report = report on an outing
help-profile = your neighbourhood, radius, availability, a pause
help-my-data = see everything we know about you
help-forget-me = erase your data
help-elder-add = register a person to accompany
help-offer-new = create and publish an outing
help-offer-cancel = cancel an outing
help-feedback = record the feedback of the person accompanied
help-verify = mark a volunteer as verified
help-role = grant or revoke a role
help-link-group = attach this group to neighbourhoods
help-members = see the group's unverified members
help-remove = remove someone from the group
help-pin = pin an outing's post in the group
help-stats = figures for the group or the whole service
help-referral = record a referral after an alert

## Profile and personal data

profile-show = Your profile, { $name }
    Verified: { $verified }
    Area: { $area }
    Availability: { $availability }
    Pause: { $pause }
    Name shown on outings you take: { $shown }
profile-updated = Profile updated.
area-unset = not set
area-point = around your location, within { $radius } km
area-neighbourhoods = arrondissements { $ids }
availability-any = not set
slot-line = { $day ->
        [0] Monday
        [1] Tuesday
        [2] Wednesday
        [3] Thursday
        [4] Friday
        [5] Saturday
       *[6] Sunday
    } { $from }–{ $to }
pause-none = none
pause-until = until { $date }
name-shown = yes
name-hidden = no
button-area = Area
button-radius = Radius
button-availability = Availability
button-pause = Pause
button-name-shown = Show or hide my name
profile-ask-area = Where would you like to accompany people? Share your location, or type one or more arrondissements (for example: 11 12).
profile-ask-radius = How far, in kilometres?
profile-ask-availability = When are you available? For example: mon 9-12, wed 14h-18h.
profile-ask-pause = Until what date are you taking a break? Type "no" to end it.
my-data = Signed up on { $created }. Charter accepted: { $consent }.
    Accounts:
    { $accounts }
    Outings in progress:
    { $claims }
    Reports:
    { $reports }
data-account = · { $account }
data-claim = · outing #{ $number }
data-report = · outing #{ $number }, { $at }: { $outcome }; rating { $rating ->
        [-1] none
       *[other] { $rating }/4
    }; entered the home: { $home }; concerns: { $concerns }{ $note }
data-note = {" "}"{ $note }"
data-none = none
data-no-consent = not yet
forget-confirm = Do you really want me to erase your data? Your past reports stay, without your name.
button-forget-confirm = Yes, erase everything
button-forget-keep = No, keep it
forget-kept = Nothing was erased.
forget-done = Your data has been erased. Thank you for everything you did.
forget-release-first = First give back outing #{ $number }, then try again.

## People accompanied

elder-ask-first-name = What is the first name of the person to accompany?
elder-ask-last-name = Their last name?
elder-ask-phone = Their phone number?
elder-ask-address = Their address?
elder-ask-place = Where do they live? Share the location, type coordinates (48.86,2.37) or the arrondissement number.
elder-ask-mobility = Any notes on their mobility (wheelchair, walking frame, eyesight…)? Type "-" if none.
elder-ask-mobility-located = Address found: { $label } ({ $neighbourhood }). Any notes on their mobility (wheelchair, walking frame, eyesight…)? Type "-" if none.
elder-ask-mobility-located-nowhere = Address found: { $label }, outside the neighbourhoods served: no group will see their outings. Any notes on their mobility? Type "-" if none.
elder-ask-candidate = I'm not sure of the address. Which one is right? You can also type coordinates (48.86,2.37) or the arrondissement number.
address-candidate = { $label }
choice-none-of-these = None of these
elder-ask-place-not-found = I couldn't find this address. Where do they live? Share the location, type coordinates (48.86,2.37) or the arrondissement number.
elder-ask-place-unreachable = The address service isn't answering. Where do they live? Share the location, type coordinates (48.86,2.37) or the arrondissement number.
elder-ask-consent = Did they agree to be contacted by a volunteer?
elder-no-consent = Without their agreement I record nothing. Nothing was kept.
elder-registered = Person registered under number { $elder } ({ $neighbourhood }). Create their outing with /offer_new.
elder-registered-nowhere = Person registered under number { $elder }, but their address is in no configured neighbourhood: their outings will not be posted in any group.
elder-unknown = No person accompanied has number { $elder }.
usage-elder-add = Usage: /elder_add First Last | phone | address | location or arrondissement | mobility notes — or /elder_add alone to be guided.

## Outings: creation and publication

offer-ask-elder = For which person? Give their file number.
offer-ask-kind = What kind of outing?
offer-ask-when = Which day and at what time? For example: 10/12 14:30.
offer-ask-duration = How long, in all?
offer-ask-destination = Where to? (This will be visible in the groups.)
offer-ask-needs = Any particular needs? Already chosen: { $needs }.
offer-confirm = Shall I publish this outing?
    { $kind } for person #{ $elder }
    { $start }, for { $duration }
    Destination: { $destination }
    Needs: { $needs }
offer-discarded = Outing discarded, nothing was published.
offer-too-long = An outing cannot last more than { $hours } hours.
offer-in-past = This date ({ $start }) has already passed.
offer-week-taken = This person already has an outing this week (#{ $number }); the limit is { $limit } a week.
offer-published = Outing #{ $number } published in { $groups ->
        [one] one group
       *[other] { $groups } groups
    }.
offer-published-nowhere = Outing #{ $number } saved, but no group covers this neighbourhood: attach one with /link_group.
offer-unknown = I can't find outing #{ $number }.
offer-closed = Outing #{ $number } is over or cancelled.
offer-changed = Outing #{ $number } has just changed; please look again.
offer-cancelled = Outing #{ $number } cancelled.
offer-cancelled-claimant = Outing #{ $number } that you were going to do has been cancelled by the team. Thank you all the same!
usage-offer-new = Usage: /offer_new PERSON_NUMBER KIND DATE TIME DURATION DESTINATION [+need…] — for example /offer_new 4 medical 10/12 14:30 2h Saint-Antoine hospital +wheelchair. Or /offer_new alone to be guided.
usage-offer-cancel = Usage: /offer_cancel NUMBER
offer-summary = Outing #{ $number } · { $kind }
    { $start }, for { $duration }
    Neighbourhood: { $neighbourhood } · Destination: { $destination }
offer-post-place = Approximate area: { $place }
offer-post-needs = Needs: { $needs }
offer-post-open = Who can go with them?
offer-post-taken = ✅ Taken by a volunteer. Thank you!
offer-post-taken-by = ✅ Taken by { $name }. Thank you!
offer-post-done = ✅ Outing done.
offer-post-closed = This outing is no longer offered.
button-claim = I'll go
button-claim-number = Take #{ $number }
offers-header = { $count ->
        [one] One outing offered:
       *[other] { $count } outings offered:
    }
offers-none = No outing offered near you right now. Thank you for your patience!

## Taking and giving back an outing

claim-unverified = You can take outings as soon as the team has verified you (identity document and welcome meeting).
claim-taken = Too late, outing #{ $number } has just been taken. Thank you all the same!
claim-already-yours = Outing #{ $number } is already yours.
claim-overlap = You already have outing #{ $other } at the same time.
claim-open-private-chat = To take outing #{ $number }, first open a private chat with me: that's where I'll give you the contact details. I'm keeping the outing for you until { $until }.
claim-kept = Outing #{ $number } is kept until { $until } for a volunteer who is opening a chat with me.
claim-open-private-chat-short = First open a private chat with me.
button-open-private-chat = Talk to me privately
claim-won = Thank you! You are accompanying { $name } on outing #{ $number }: { $start }, for { $duration }, to { $destination }.
claim-contact = Phone: { $phone }
    Meet at: { $place }
claim-needs = Needs: { $needs }
claim-mobility = Mobility: { $notes }
claim-caregiver = Relative to contact: { $contact }
claim-charter = Charter reminders: call first to introduce yourself; do not enter the home; no personal vehicle; no money.
claim-won-short = Outing #{ $number } is yours. I'm writing to you privately.
button-release = I can't any more
release-started = Outing #{ $number } has begun: tell us what happened with /report { $number }.
release-not-yours = Outing #{ $number } is not yours.
release-done = Noted: outing #{ $number } is offered to the other volunteers again.
released-short = Outing #{ $number } given back.
usage-claim = Usage: /claim NUMBER, for example /claim 142
usage-release = Usage: /release NUMBER

## Report

report-ask-outcome = How did outing #{ $number } go?
report-ask-duration = How long did it last?
report-ask-rating = How did it go, from 0 (very bad) to 4 (very good)?
report-ask-entered-home = Did you enter the home?
report-ask-concerns = Is anything worrying you about this person?
report-ask-more-concerns = Noted: { $chosen }. Anything else?
report-ask-note = Tell us in a few words what worries you.
report-thanks = Thank you for this report on outing #{ $number }!
report-not-yours = You have no report to make for outing #{ $number }.
report-too-early = Outing #{ $number } has not happened yet ({ $start }).
usage-report = Usage: /report NUMBER

## The person's feedback, alerts and referrals

feedback-ask-outcome = According to the person, how did outing #{ $number } go?
feedback-ask-rating = Their rating, from 0 (very bad) to 4 (very good)?
feedback-ask-note = Any remark to keep? Type "-" otherwise.
feedback-recorded = The person's feedback is recorded for outing #{ $number }.
feedback-already = The person's feedback is already recorded for outing #{ $number }.
feedback-no-outing = Outing #{ $number } was never taken: there is no feedback to record.
feedback-divergence = Note: this feedback contradicts the volunteer's report. Outing #{ $number } is flagged to the team.
usage-feedback = Usage: /feedback NUMBER
alert-raised = ⚠️ Alert #{ $alert } after outing #{ $number } (file { $elder }): { $concerns }.
    { $note }
    Record the referral with /referral { $alert }.
alert-unknown = I can't find alert #{ $alert }.
referral-ask-service = Which service did you refer the person to (alert #{ $alert })?
referral-ask-agreement = Did the person agree?
referral-recorded = Referral recorded for alert #{ $alert }.
usage-referral = Usage: /referral ALERT_NUMBER
staff-delivery-failed = I can no longer write to { $who }: { $reason }. They may have blocked the bot, or the bot lost its rights in the group.
staff-bot-removed = { $by } removed me from the group “{ $group }”: the outings of its neighbourhoods are no longer posted there.
staff-divergence = Outing #{ $number } needs a look: the volunteer says "{ $volunteer }", the person says "{ $elder }".
staff-entered-home = Outing #{ $number }: the volunteer says they entered the home.
staff-late-release = Outing #{ $number } ({ $start }) was given back less than { $hours } hours before: it needs someone.

## Team: verification and roles

person-unknown = I know nobody called @{ $handle }. They must first send me /start.
verify-done = { $name } is now verified.
already-verified = { $name } was already verified.
you-are-verified = Good news: the team has verified you. You can now take outings with /offers.
role-granted = { $name } is now { $role }.
role-revoked = { $name } is no longer { $role }.
role-not-yourself = You cannot remove your own coordinator role.
you-got-role = You are now { $role }. Type /help to see your new commands.
you-lost-role = You are no longer { $role }.
usage-verify = Usage: /verify @handle
usage-role = Usage: /role @handle ambassador|coordinator|referent [off]

## Groups

group-linked = This group now receives the outings of: { $neighbourhoods }.
group-linked-staff = This group is now the team's room.
group-linked-medico = This group is now the medico-social room: it receives the alerts.
bot-added-unlinked = Hello! Once this group is linked, I post here the outings of its neighbourhood that need a companion: a coordinator types /link_group followed by the neighbourhood numbers, for example /link_group 11.
neighbourhood-unknown = I don't know the neighbourhood "{ $typed }".
usage-link-group = Usage: /link_group 11 12, or /link_group staff, or /link_group medico
welcome-verified = Welcome { $name }!
welcome-unverified = Welcome { $name }! To take outings, first sign up privately with me.
button-sign-up = Sign me up
ambassador-unverified-joined = { $name } has just joined { $group } without being a verified volunteer.
members-unverified = { $count ->
        [one] One unverified member:
       *[other] { $count } unverified members:
    } { $members }
members-all-verified = All known members of this group are verified.
member-line = { $name } ({ $user })
member-unknown = I can't find @{ $user } among this group's members.
member-removed = { $name } has been removed from the group.
remove-needs-admin = I could not remove this member: I need the right to ban users in this group. An administrator can give it to me.
pin-needs-admin = I could not pin this message: I need the right to pin messages in this group. An administrator can give it to me.
remove-not-here = I only remove members from neighbourhood groups.
remove-not-allowed = { $name } is staff or runs the group: please ask the coordinators.
role-needs-verified = { $name } must be verified before becoming an ambassador.
usage-remove = Usage: /remove @handle
usage-pin = Usage: /pin NUMBER, for example /pin 142
pin-not-posted-here = Outing #{ $number } was not posted in this group.
stats-figures = Outings offered: { $open }
    Outings done this month: { $outings }
    Active volunteers (30 days): { $active }
    Volunteers without an outing for 30 days: { $idle }
stats-in-group = Ask for the figures in the group they are about.
usage-language = Usage: /language fr or /language en
usage-profile = Usage: /profile, or /profile area 11, /profile radius 3, /profile availability mon 9-12, /profile pause 31/01/2027, /profile name shown
matrix-invitation-declined = I only join rooms the service's team invites me to. To write to me, open a direct chat with me.

## Reminders and follow-ups

reminder-introduce = Have you called { $name } to introduce yourself before outing #{ $number } ({ $start })? Their number: { $phone }.
reminder-day-before = Coming soon: outing #{ $number } with { $name } is { $start }. Did you manage to reach them ({ $phone })?
reminder-morning = It's today: outing #{ $number } with { $name }, { $start }. Call them to confirm: { $phone }.
button-reached = Yes, all set
button-unreached = I could not reach them
contact-reached = Thank you, enjoy the outing!
contact-unreached = Noted: the team will try to reach them about outing #{ $number }.
staff-elder-unreached = { $name } could not reach the person of outing #{ $number }: could you call them?
reminder-report = How did outing #{ $number } go? The report takes two minutes.
reminder-report-nudge = We are still missing the report of outing #{ $number }: it helps us look after the person.
button-report = Write the report
staff-report-missing = Still no report from { $name } for outing #{ $number }.
ambassador-unclaimed = Outing #{ $number } ({ $start }) still needs someone in { $group }: could you spread the word?
staff-unclaimed = Outing #{ $number } ({ $start }) still has nobody. { $count ->
        [0] No volunteer could be asked privately.
       *[other] Asked privately: { $asked }.
    }
staff-digest = Morning digest: { $unclaimed } outing(s) with nobody, { $urgent } of them within 48 hours; { $reports } report(s) missing; { $alerts } alert(s) not referred yet.
staff-digest-more = … and { $count } more.
group-weekly-digest = { $count ->
        [one] This week, one outing still needs someone here:
       *[other] This week, { $count } outings still need someone here:
    }
thanks-monthly = { $count ->
        [one] Thank you! Last month you accompanied one outing
       *[other] Thank you! Last month you accompanied { $count } outings
    } ({ $total } since you started). It means a lot.
idle-check-in = Hello! Your last outing was a month ago. All well? { $open ->
        [0] No outing is waiting right now; we will write to you.
        [one] One outing needs someone: /offers to see it.
       *[other] { $open } outings need someone: /offers to see them.
    } To take a break, /profile pause.
second-outing = Thank you again for your first outing! { $open ->
        [0] No other is waiting right now; we will write to you.
        [one] Another outing needs someone: /offers to see it.
       *[other] { $open } outings need someone: /offers to see them.
    }
note-unclaimed = An outing near you needs someone. Could you take it?
button-not-for-me = Not for me
note-declined = Understood: you will not hear about #{ $number } again.
person-name = { $name }
help-asked = who was written to privately about an outing
usage-asked = Usage: /asked NUMBER
offer-asked = { $count ->
        [0] Nobody has been written to privately about outing #{ $number } yet.
       *[other] Written to privately about outing #{ $number }: { $asked }.
    }
