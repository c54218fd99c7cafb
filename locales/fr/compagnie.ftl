## Réponses générales

error-internal = Désolé, quelque chose n'a pas fonctionné de notre côté. Réessayez dans un moment.
refused-not-registered = Je ne vous connais pas encore : écrivez-moi /start en message privé pour vous inscrire.
refused-role = Cette commande est réservée à d'autres rôles. Tapez /aide pour voir les vôtres.
command-unknown = Je ne connais pas la commande « { $command } ». Tapez /aide pour la liste.
command-private-only = Parlons-en en privé : cette commande touche à des informations personnelles.
command-group-only = Cette commande s'utilise dans le groupe concerné.
input-too-long = Ce message est trop long pour moi. Pouvez-vous le raccourcir ?
text-no-dialogue = Je n'attends pas de réponse de votre part pour l'instant. Tapez /aide pour voir ce que je sais faire.
button-stale = Ce bouton n'est plus d'actualité.
dialogue-cancelled = C'est annulé. Rien n'a été enregistré.
dialogue-none = Il n'y a rien en cours à annuler.
dialogue-ended = La démarche s'arrête là ; vous pouvez la reprendre du début quand vous voulez.

## Réponses attendues dans un dialogue

answer-pick-one = Choisissez l'une des réponses proposées (bouton ou numéro).
answer-text = J'ai besoin d'une réponse écrite.
answer-yes-no = Répondez par oui ou par non.
answer-duration = Je n'ai pas compris la durée. Exemples : 2h, 1h30, 90min.
answer-rating = Donnez une note de 0 (très mal) à 4 (très bien).
answer-phone = Ce numéro de téléphone ne semble pas valide. Exemple : 06 12 34 56 78.
answer-place = Je n'ai pas trouvé ce lieu. Partagez une position, tapez des coordonnées (48.86,2.37) ou un numéro d'arrondissement (11).
answer-when = Je n'ai pas compris la date. Exemples : 10/12 14:30, demain 9h, 2026-12-10 14h.
answer-elder = Donnez le numéro de dossier de la personne accompagnée (par exemple 4).
answer-kind = Type de sortie inconnu. Possibles : medical, administratif, loisir, courses, culture, appel, mission.
answer-need = Besoin inconnu. Possibles : +fauteuil, +deambulateur, +malvoyant, +langue.
answer-radius = Donnez un rayon en kilomètres, entre 0,1 et 50.
answer-slots = Je n'ai pas compris ces disponibilités. Exemple : lun 9-12, mer 14h-18h.
answer-pause = Donnez une date future (31/01/2027) ou « non » pour lever la pause.
choice-yes = Oui
choice-no = Non
choice-done = C'est tout
choice-no-concern = Aucune inquiétude
choice-no-need = Aucun besoin particulier
choice-publish = Publier
choice-discard = Abandonner

## Vocabulaire

kind-medical = Rendez-vous médical
kind-administrative = Démarche administrative
kind-leisure = Promenade, loisir
kind-shopping = Courses
kind-culture = Sortie culturelle
kind-convivial-call = Appel convivial
kind-special-mission = Mission spéciale
need-wheelchair = fauteuil roulant
need-walking-frame = déambulateur
need-visual-impairment = malvoyance
need-language = interprète
need-none = aucun
concern-isolation = isolement
concern-mobility = mobilité
concern-health = santé
concern-memory = mémoire
concern-home = logement
concern-money = argent
concern-other = autre
outcome-took-place = La sortie a eu lieu
outcome-elder-absent = La personne était absente
outcome-cancelled-by-elder = Annulée par la personne
outcome-cancelled-by-volunteer = Annulée par le ou la bénévole
duration-hm = { $hours ->
        [0] { $minutes } min
       *[other] { $hours } h{ $minutes ->
            [0] {""}
           *[other] {" "}{ $minutes }
        }
    }
rating-value = { $rating ->
        [0] 0 · très mal
        [1] 1 · plutôt mal
        [2] 2 · correct
        [3] 3 · bien
       *[4] 4 · très bien
    }
place-phone = par téléphone
place-unknown = quartier non renseigné
neighbourhood-name = { $name } ({ $id })
role-ambassador = ambassadeur ou ambassadrice
role-coordinator = coordinateur ou coordinatrice
role-referent = référent médico-social

## Inscription, langue, aide

start-welcome = Bienvenue { $name } ! Je suis le bot de compagnie : je vous propose des sorties avec des personnes âgées de votre quartier.
start-charter = Notre charte : on n'entre pas au domicile, on n'utilise pas de véhicule personnel, on ne manipule pas d'argent, et on appelle toujours la personne avant de venir. L'équipe vérifiera votre pièce d'identité et vous invitera à une réunion d'accueil avant votre première sortie.
start-welcome-back = Bonjour { $name } ! Tapez /offres pour voir les sorties proposées près de chez vous.
button-consent = J'accepte la charte
consent-recorded = Merci, c'est noté.
consent-next-steps = Merci ! Vous pouvez régler votre quartier et vos disponibilités avec /profil. Dès que l'équipe vous aura vérifié, vous pourrez prendre des sorties.
language-set = C'est noté, je vous parlerai en français.
help-list = Ce que vous pouvez faire ici :
    { $commands }
help-line = { $command } : { $does }
help-start = vous inscrire ou me dire bonjour
help-help = cette aide
help-cancel = abandonner la démarche en cours
help-language = changer de langue (fr ou en)
help-offers = voir les sorties proposées
help-claim = prendre une sortie, par exemple /prendre 142
help-release = rendre une sortie que vous ne pouvez plus assurer
help-report = faire le compte rendu d'une sortie
help-profile = votre quartier, votre rayon, vos disponibilités, une pause
help-my-data = voir tout ce que nous savons de vous
help-forget-me = effacer vos données
help-elder-add = enregistrer une personne accompagnée
help-offer-new = créer et publier une sortie
help-offer-cancel = annuler une sortie
help-feedback = noter le retour de la personne accompagnée
help-verify = marquer un ou une bénévole comme vérifié(e)
help-role = donner ou retirer un rôle
help-link-group = rattacher ce groupe à des quartiers
help-members = voir les membres non vérifiés du groupe
help-remove = retirer quelqu'un du groupe
help-pin = épingler dans le groupe le message d'une sortie
help-stats = les chiffres du groupe ou du service
help-referral = noter une orientation après une alerte

## Profil et données personnelles

profile-show = Votre profil, { $name }
    Vérifié(e) : { $verified }
    Zone : { $area }
    Disponibilités : { $availability }
    Pause : { $pause }
    Nom affiché sur les sorties prises : { $shown }
profile-updated = Profil mis à jour.
area-unset = non renseignée
area-point = autour de votre position, dans un rayon de { $radius } km
area-neighbourhoods = arrondissements { $ids }
availability-any = non renseignées
slot-line = { $day ->
        [0] lundi
        [1] mardi
        [2] mercredi
        [3] jeudi
        [4] vendredi
        [5] samedi
       *[6] dimanche
    } { $from }–{ $to }
pause-none = aucune
pause-until = jusqu'au { $date }
name-shown = oui
name-hidden = non
button-area = Zone
button-radius = Rayon
button-availability = Disponibilités
button-pause = Pause
button-name-shown = Afficher ou masquer mon nom
profile-ask-area = Où souhaitez-vous accompagner ? Partagez votre position, ou tapez un ou plusieurs arrondissements (par exemple : 11 12).
profile-ask-radius = Jusqu'à quelle distance, en kilomètres ?
profile-ask-availability = Quand êtes-vous disponible ? Par exemple : lun 9-12, mer 14h-18h.
profile-ask-pause = Jusqu'à quelle date faites-vous une pause ? Tapez « non » pour la lever.
my-data = Inscrit(e) le { $created }. Charte acceptée : { $consent }.
    Comptes :
    { $accounts }
    Sorties en cours :
    { $claims }
    Comptes rendus :
    { $reports }
data-account = · { $account }
data-claim = · sortie n°{ $number }
data-report = · sortie n°{ $number }, { $at } : { $outcome } ; note { $rating ->
        [-1] aucune
       *[other] { $rating }/4
    } ; entré(e) au domicile : { $home } ; inquiétudes : { $concerns }{ $note }
data-note = {" "}« { $note } »
data-none = aucune
data-no-consent = pas encore
forget-confirm = Voulez-vous vraiment que j'efface vos données ? Vos comptes rendus passés restent, sans votre nom.
button-forget-confirm = Oui, tout effacer
button-forget-keep = Non, garder
forget-kept = Rien n'a été effacé.
forget-done = Vos données ont été effacées. Merci pour tout ce que vous avez fait.
forget-release-first = Rendez d'abord la sortie n°{ $number } en cours, puis recommencez.

## Personnes accompagnées

elder-ask-first-name = Quel est le prénom de la personne accompagnée ?
elder-ask-last-name = Son nom de famille ?
elder-ask-phone = Son numéro de téléphone ?
elder-ask-address = Son adresse ?
elder-ask-place = Où habite-t-elle ? Partagez la position, tapez des coordonnées (48.86,2.37) ou le numéro d'arrondissement.
elder-ask-mobility = Des remarques sur sa mobilité (fauteuil, déambulateur, vue…) ? Tapez « - » s'il n'y en a pas.
elder-ask-mobility-located = Adresse trouvée : { $label } ({ $neighbourhood }). Des remarques sur sa mobilité (fauteuil, déambulateur, vue…) ? Tapez « - » s'il n'y en a pas.
elder-ask-mobility-located-nowhere = Adresse trouvée : { $label }, hors des quartiers servis : aucun groupe ne verra ses sorties. Des remarques sur sa mobilité ? Tapez « - » s'il n'y en a pas.
elder-ask-candidate = Je ne suis pas sûr de l'adresse. Laquelle est la bonne ? Vous pouvez aussi taper des coordonnées (48.86,2.37) ou le numéro d'arrondissement.
address-candidate = { $label }
choice-none-of-these = Aucune
elder-ask-place-not-found = Je n'ai pas trouvé cette adresse. Où habite-t-elle ? Partagez la position, tapez des coordonnées (48.86,2.37) ou le numéro d'arrondissement.
elder-ask-place-unreachable = Le service d'adresses ne répond pas. Où habite-t-elle ? Partagez la position, tapez des coordonnées (48.86,2.37) ou le numéro d'arrondissement.
elder-ask-consent = A-t-elle accepté d'être contactée par un ou une bénévole ?
elder-no-consent = Sans son accord, je n'enregistre rien. Rien n'a été gardé.
elder-registered = Personne enregistrée sous le numéro { $elder } ({ $neighbourhood }). Créez sa sortie avec /offre_nouvelle.
elder-registered-nowhere = Personne enregistrée sous le numéro { $elder }, mais son adresse n'est dans aucun quartier configuré : ses sorties ne seront publiées dans aucun groupe.
elder-unknown = Aucune personne accompagnée n'a le numéro { $elder }.
usage-elder-add = Usage : /aine_ajouter Prénom Nom | téléphone | adresse | position ou arrondissement | remarques de mobilité — ou /aine_ajouter seul pour être guidé(e).

## Sorties : création et publication

offer-ask-elder = Pour quelle personne accompagnée ? Donnez son numéro de dossier.
offer-ask-kind = Quel type de sortie ?
offer-ask-when = Quel jour et à quelle heure ? Par exemple : 10/12 14:30.
offer-ask-duration = Combien de temps, au total ?
offer-ask-destination = Où va-t-on ? (Ceci sera visible dans les groupes.)
offer-ask-needs = Des besoins particuliers ? Déjà choisis : { $needs }.
offer-confirm = Je publie cette sortie ?
    { $kind } pour la personne n°{ $elder }
    { $start }, durée { $duration }
    Destination : { $destination }
    Besoins : { $needs }
offer-discarded = Sortie abandonnée, rien n'a été publié.
offer-too-long = Une sortie ne peut pas dépasser { $hours } heures.
offer-in-past = Cette date ({ $start }) est déjà passée.
offer-week-taken = Cette personne a déjà une sortie cette semaine (n°{ $number }) ; la limite est de { $limit } par semaine.
offer-published = Sortie n°{ $number } publiée dans { $groups ->
        [one] un groupe
       *[other] { $groups } groupes
    }.
offer-published-nowhere = Sortie n°{ $number } enregistrée, mais aucun groupe ne couvre ce quartier : rattachez-en un avec /lier_groupe.
offer-unknown = Je ne trouve pas de sortie n°{ $number }.
offer-closed = La sortie n°{ $number } est terminée ou annulée.
offer-changed = La sortie n°{ $number } vient de changer ; regardez à nouveau.
offer-cancelled = Sortie n°{ $number } annulée.
offer-cancelled-claimant = La sortie n°{ $number } que vous deviez assurer a été annulée par l'équipe. Merci quand même !
usage-offer-new = Usage : /offre_nouvelle NUMÉRO_PERSONNE TYPE DATE HEURE DURÉE DESTINATION [+besoin…] — par exemple /offre_nouvelle 4 medical 10/12 14:30 2h Hôpital Saint-Antoine +fauteuil. Ou /offre_nouvelle seul pour être guidé(e).
usage-offer-cancel = Usage : /offre_annuler NUMÉRO
offer-summary = Sortie n°{ $number } · { $kind }
    { $start }, durée { $duration }
    Quartier : { $neighbourhood } · Destination : { $destination }
offer-post-place = Secteur approximatif : { $place }
offer-post-needs = Besoins : { $needs }
offer-post-open = Qui peut l'accompagner ?
offer-post-taken = ✅ Prise par un ou une bénévole. Merci !
offer-post-taken-by = ✅ Prise par { $name }. Merci !
offer-post-done = ✅ Sortie réalisée.
offer-post-closed = Cette sortie n'est plus proposée.
button-claim = Je prends
button-claim-number = Prendre la n°{ $number }
offers-header = { $count ->
        [one] Une sortie proposée :
       *[other] { $count } sorties proposées :
    }
offers-none = Aucune sortie proposée pour l'instant près de chez vous. Merci de votre patience !

## Prendre et rendre une sortie

claim-unverified = Vous pourrez prendre des sorties dès que l'équipe vous aura vérifié (pièce d'identité et réunion d'accueil).
claim-taken = Trop tard, la sortie n°{ $number } vient d'être prise. Merci quand même !
claim-already-yours = La sortie n°{ $number } est déjà la vôtre.
claim-overlap = Vous avez déjà la sortie n°{ $other } au même moment.
claim-open-private-chat = Pour prendre la sortie n°{ $number }, ouvrez d'abord une conversation privée avec moi : c'est là que je vous donnerai les coordonnées. Je vous garde la sortie jusqu'à { $until }.
claim-kept = La sortie n°{ $number } est gardée jusqu'à { $until } pour un bénévole qui ouvre une conversation avec moi.
claim-open-private-chat-short = Ouvrez d'abord une conversation privée avec moi.
button-open-private-chat = Me parler en privé
claim-won = Merci ! Vous accompagnez { $name } pour la sortie n°{ $number } : { $start }, durée { $duration }, destination { $destination }.
claim-contact = Téléphone : { $phone }
    Rendez-vous : { $place }
claim-needs = Besoins : { $needs }
claim-mobility = Mobilité : { $notes }
claim-caregiver = Proche à contacter : { $contact }
claim-charter = Rappels de la charte : appelez d'abord pour vous présenter ; n'entrez pas au domicile ; pas de véhicule personnel ; pas d'argent.
claim-won-short = La sortie n°{ $number } est à vous. Je vous écris en privé.
button-release = Je ne peux plus
release-started = La sortie n°{ $number } a commencé : dites ce qui s'est passé avec /compte_rendu { $number }.
release-not-yours = La sortie n°{ $number } n'est pas à vous.
release-done = C'est noté : la sortie n°{ $number } est de nouveau proposée aux autres bénévoles.
released-short = Sortie n°{ $number } rendue.
usage-claim = Usage : /prendre NUMÉRO, par exemple /prendre 142
usage-release = Usage : /liberer NUMÉRO

## Compte rendu

report-ask-outcome = Comment s'est passée la sortie n°{ $number } ?
report-ask-duration = Combien de temps a-t-elle duré ?
report-ask-rating = Comment ça s'est passé, de 0 (très mal) à 4 (très bien) ?
report-ask-entered-home = Êtes-vous entré(e) au domicile ?
report-ask-concerns = Quelque chose vous inquiète-t-il pour cette personne ?
report-ask-more-concerns = Noté : { $chosen }. Autre chose ?
report-ask-note = Racontez en quelques mots ce qui vous inquiète.
report-thanks = Merci pour ce compte rendu de la sortie n°{ $number } !
report-not-yours = Vous n'avez pas de compte rendu à faire pour la sortie n°{ $number }.
report-too-early = La sortie n°{ $number } n'a pas encore eu lieu ({ $start }).
usage-report = Usage : /compte_rendu NUMÉRO

## Retour de la personne, alertes et orientations

feedback-ask-outcome = D'après la personne, comment s'est passée la sortie n°{ $number } ?
feedback-ask-rating = Sa note, de 0 (très mal) à 4 (très bien) ?
feedback-ask-note = Une remarque à garder ? Tapez « - » sinon.
feedback-recorded = Retour de la personne enregistré pour la sortie n°{ $number }.
feedback-already = Le retour de la personne est déjà enregistré pour la sortie n°{ $number }.
feedback-no-outing = La sortie n°{ $number } n'a pas été prise : pas de retour à noter.
feedback-divergence = Attention : ce retour contredit le compte rendu du ou de la bénévole. La sortie n°{ $number } est signalée à l'équipe.
usage-feedback = Usage : /retour NUMÉRO
alert-raised = ⚠️ Alerte n°{ $alert } après la sortie n°{ $number } (dossier { $elder }) : { $concerns }.
    { $note }
    Notez l'orientation avec /orientation { $alert }.
alert-unknown = Je ne trouve pas d'alerte n°{ $alert }.
referral-ask-service = Vers quel service avez-vous orienté la personne (alerte n°{ $alert }) ?
referral-ask-agreement = La personne était-elle d'accord ?
referral-recorded = Orientation enregistrée pour l'alerte n°{ $alert }.
usage-referral = Usage : /orientation NUMÉRO_ALERTE
staff-delivery-failed = Je n'arrive plus à écrire à { $who } : { $reason }. La personne a peut-être bloqué le bot, ou le bot a perdu ses droits dans le groupe.
staff-bot-removed = { $by } m'a retiré du groupe « { $group } » : les sorties de ses quartiers n'y sont plus publiées.
staff-divergence = Sortie n°{ $number } à revoir : le ou la bénévole dit « { $volunteer } », la personne dit « { $elder } ».
staff-entered-home = Sortie n°{ $number } : le ou la bénévole indique être entré(e) au domicile.
staff-late-release = La sortie n°{ $number } ({ $start }) a été rendue moins de { $hours } heures avant : elle cherche quelqu'un.

## Équipe : vérifications et rôles

person-unknown = Je ne connais personne sous le nom @{ $handle }. Cette personne doit d'abord m'écrire /start.
verify-done = { $name } est maintenant vérifié(e).
already-verified = { $name } était déjà vérifié(e).
you-are-verified = Bonne nouvelle : l'équipe vous a vérifié(e). Vous pouvez maintenant prendre des sorties avec /offres.
role-granted = { $name } est maintenant { $role }.
role-revoked = { $name } n'est plus { $role }.
role-not-yourself = Vous ne pouvez pas vous retirer vous-même le rôle de coordination.
you-got-role = Vous êtes maintenant { $role }. Tapez /aide pour voir vos nouvelles commandes.
you-lost-role = Vous n'êtes plus { $role }.
usage-verify = Usage : /verifier @pseudo
usage-role = Usage : /role @pseudo ambassadeur|coordinateur|referent [off]

## Groupes

group-linked = Ce groupe reçoit maintenant les sorties de : { $neighbourhoods }.
group-linked-staff = Ce groupe est maintenant le salon de l'équipe.
group-linked-medico = Ce groupe est maintenant le salon médico-social : il reçoit les alertes.
bot-added-unlinked = Bonjour ! Je publie ici les sorties à accompagner du quartier, une fois ce groupe relié : un coordinateur tape /lier_groupe suivi des numéros des quartiers, par exemple /lier_groupe 11.
neighbourhood-unknown = Je ne connais pas le quartier « { $typed } ».
usage-link-group = Usage : /lier_groupe 11 12, ou /lier_groupe equipe, ou /lier_groupe medico
welcome-verified = Bienvenue { $name } !
welcome-unverified = Bienvenue { $name } ! Pour prendre des sorties, inscrivez-vous d'abord en privé avec moi.
button-sign-up = M'inscrire
ambassador-unverified-joined = { $name } vient de rejoindre { $group } sans être bénévole vérifié(e).
members-unverified = { $count ->
        [one] Un membre non vérifié :
       *[other] { $count } membres non vérifiés :
    } { $members }
members-all-verified = Tous les membres connus de ce groupe sont vérifiés.
member-line = { $name } ({ $user })
member-unknown = Je ne trouve pas @{ $user } parmi les membres de ce groupe.
member-removed = { $name } a été retiré(e) du groupe.
remove-needs-admin = Je n'ai pas pu retirer ce membre : il me faut le droit de bannir des utilisateurs dans ce groupe. Un administrateur peut me le donner.
pin-needs-admin = Je n'ai pas pu épingler ce message : il me faut le droit d'épingler des messages dans ce groupe. Un administrateur peut me le donner.
remove-not-here = Je ne retire des membres que des groupes de quartier.
remove-not-allowed = { $name } fait partie de l'équipe ou anime le groupe : voyez avec la coordination.
role-needs-verified = { $name } doit d'abord être vérifié(e) pour devenir ambassadeur ou ambassadrice.
usage-remove = Usage : /retirer @pseudo
usage-pin = Usage : /epingler NUMÉRO, par exemple /epingler 142
pin-not-posted-here = La sortie n°{ $number } n'a pas été publiée dans ce groupe.
stats-figures = Sorties proposées : { $open }
    Sorties réalisées ce mois-ci : { $outings }
    Bénévoles actifs (30 jours) : { $active }
    Bénévoles sans sortie depuis 30 jours : { $idle }
stats-in-group = Demandez les chiffres dans le groupe concerné.
usage-language = Usage : /langue fr ou /langue en
usage-profile = Usage : /profil, ou /profil zone 11, /profil rayon 3, /profil dispo lun 9-12, /profil pause 31/01/2027, /profil nom affiche
matrix-invitation-declined = Je ne rejoins que les salons où l'équipe du service m'invite. Pour m'écrire, ouvrez une conversation privée avec moi.

## Rappels et relances

reminder-introduce = Avez-vous appelé { $name } pour vous présenter avant la sortie n°{ $number } ({ $start }) ? Son numéro : { $phone }.
reminder-day-before = C'est bientôt : la sortie n°{ $number } avec { $name } a lieu { $start }. Avez-vous pu la joindre ({ $phone }) ?
reminder-morning = C'est aujourd'hui : la sortie n°{ $number } avec { $name }, { $start }. Appelez-la pour confirmer : { $phone }.
button-reached = Oui, c'est calé
button-unreached = Je n'ai pas pu la joindre
contact-reached = Merci, bonne sortie !
contact-unreached = C'est noté : l'équipe va essayer de joindre la personne pour la sortie n°{ $number }.
staff-elder-unreached = { $name } n'a pas pu joindre la personne accompagnée de la sortie n°{ $number } : pouvez-vous l'appeler ?
reminder-report = Comment s'est passée la sortie n°{ $number } ? Le compte rendu prend deux minutes.
reminder-report-nudge = Le compte rendu de la sortie n°{ $number } nous manque encore : il nous aide à veiller sur la personne.
button-report = Faire le compte rendu
staff-report-missing = Toujours pas de compte rendu de { $name } pour la sortie n°{ $number }.
ambassador-unclaimed = La sortie n°{ $number } ({ $start }) cherche encore quelqu'un dans { $group } : pouvez-vous en parler autour de vous ?
staff-unclaimed = La sortie n°{ $number } ({ $start }) n'a toujours personne. { $count ->
        [0] Aucun bénévole n'a pu être sollicité en privé.
       *[other] Sollicité(e)s en privé : { $asked }.
    }
staff-digest = Point du matin : { $unclaimed } sortie(s) sans bénévole, dont { $urgent } dans les 48 heures ; { $reports } compte(s) rendu(s) en attente ; { $alerts } alerte(s) sans orientation.
staff-digest-more = … et { $count } autre(s).
group-weekly-digest = { $count ->
        [one] Cette semaine, une sortie attend encore quelqu'un ici :
       *[other] Cette semaine, { $count } sorties attendent encore quelqu'un ici :
    }
thanks-monthly = { $count ->
        [one] Merci ! Le mois dernier, vous avez accompagné une sortie
       *[other] Merci ! Le mois dernier, vous avez accompagné { $count } sorties
    } ({ $total } depuis vos débuts). Votre présence compte beaucoup.
idle-check-in = Bonjour ! Votre dernière sortie date d'un mois. Tout va bien ? { $open ->
        [0] Aucune sortie n'attend pour l'instant ; nous vous écrirons.
        [one] Une sortie attend quelqu'un : /offres pour la voir.
       *[other] { $open } sorties attendent quelqu'un : /offres pour les voir.
    } Pour faire une pause, /profil pause.
second-outing = Merci encore pour votre première sortie ! { $open ->
        [0] Aucune autre n'attend pour l'instant ; nous vous écrirons.
        [one] Une autre sortie attend quelqu'un : /offres pour la voir.
       *[other] { $open } sorties attendent quelqu'un : /offres pour les voir.
    }
note-unclaimed = Une sortie près de chez vous attend quelqu'un. Pourriez-vous la prendre ?
button-not-for-me = Pas pour moi
note-declined = Entendu : on ne vous reparlera pas de la n°{ $number }.
person-name = { $name }
help-asked = qui a été sollicité en privé pour une sortie
usage-asked = Usage : /sollicites NUMÉRO
offer-asked = { $count ->
        [0] Personne n'a encore été sollicité en privé pour la sortie n°{ $number }.
       *[other] Sollicité(e)s en privé pour la sortie n°{ $number } : { $asked }.
    }
