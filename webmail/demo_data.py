"""The demo's people and messages: realistic school-life mail, built as MIME. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    is_superuser: bool = False
    is_staff: bool = False


STAFF = [
    DemoPerson("admin", "Alice", "Administratrice", is_superuser=True, is_staff=True),
    DemoPerson("helpdesk", "Hugo", "Assistance"),
    DemoPerson("jean.dupont", "Jean", "Dupont"),
    DemoPerson("marie.martin", "Marie", "Martin"),
    DemoPerson("sophie.leroy", "Sophie", "Leroy"),
    DemoPerson("karim.benali", "Karim", "Benali"),
    DemoPerson("helene.n-diaye", "Hélène", "N'Diaye"),
]

# (sender username or outside address, recipients, subject, body, html?)
# Colleagues' messages go through SMTP submission; outside ones arrive over LMTP.
CONVERSATIONS = [
    (
        "marie.martin",
        ["jean.dupont"],
        "Conseil de classe de 3e B — jeudi 17 h",
        "Bonjour Jean,\n\nLe conseil de classe de 3e B aura lieu jeudi à 17 h en salle 204.\n"
        "Peux-tu saisir tes appréciations avant mercredi soir ?\n\nMerci,\nMarie",
        False,
    ),
    (
        "jean.dupont",
        ["marie.martin"],
        "Re: Conseil de classe de 3e B — jeudi 17 h",
        "C'est noté, je saisis tout demain.\n\nJean",
        False,
    ),
    (
        "sophie.leroy",
        ["jean.dupont", "marie.martin"],
        "Sortie au musée des Beaux-Arts",
        "Bonjour à tous,\n\nLa sortie des 4e au musée est confirmée pour le 12 décembre.\n"
        "Il nous faut encore deux accompagnateurs. Qui est disponible ?\n\nSophie",
        False,
    ),
    (
        "karim.benali",
        ["jean.dupont"],
        "Réunion parents-professeurs : créneaux",
        "Salut Jean,\n\nVoici les créneaux proposés pour la réunion parents-professeurs :\n"
        "- mardi 16 h 30 – 19 h\n- jeudi 17 h – 19 h 30\n\nKarim",
        False,
    ),
    (
        "helene.n-diaye",
        ["marie.martin"],
        "Projet Erasmus+ : dossier à relire",
        "<p>Bonjour Marie,</p><p>Le dossier <strong>Erasmus+</strong> est prêt. "
        "Pourrais-tu le relire avant <em>vendredi</em> ?</p><p>Hélène</p>",
        True,
    ),
    (
        "jean.dupont",
        ["karim.benali"],
        "Re: Réunion parents-professeurs : créneaux",
        "Le jeudi me convient mieux. Merci Karim !",
        False,
    ),
    (
        "marie.martin",
        ["sophie.leroy", "jean.dupont"],
        "Re: Sortie au musée des Beaux-Arts",
        "Je peux accompagner le groupe l'après-midi.\n\nMarie",
        False,
    ),
    (
        "sophie.leroy",
        ["marie.martin"],
        "Copies du brevet blanc",
        "Les copies du brevet blanc sont dans ton casier. Correction pour le 5 ?",
        False,
    ),
    (
        "karim.benali",
        ["marie.martin", "jean.dupont"],
        "Planning des surveillances",
        "Bonjour,\n\nLe planning des surveillances du brevet blanc est en pièce jointe "
        "sur l'ENT. Merci de vérifier vos créneaux.\n\nKarim",
        False,
    ),
    (
        "helene.n-diaye",
        ["jean.dupont"],
        "Atelier théâtre du mardi",
        "Bonjour Jean,\n\nL'atelier théâtre reprend mardi. Peux-tu libérer la salle 12 ?\n\nHélène",
        False,
    ),
    (
        "Rectorat — Communication <communication@ac-exemple.fr>",
        ["jean.dupont", "marie.martin"],
        "Lettre d'information de l'académie — novembre",
        "<h1>Lettre d'information</h1><p>Retrouvez les actualités de l'académie : "
        "formation continue, mouvement intra-académique, calendrier des examens.</p>",
        True,
    ),
    (
        "Plateforme de formation <no-reply@formation.ac-exemple.fr>",
        ["jean.dupont"],
        "Inscription confirmée : « Enseigner avec le numérique »",
        "Votre inscription au module « Enseigner avec le numérique » est confirmée.\n"
        "Première séance : mercredi 14 h, en distanciel.",
        False,
    ),
    (
        "Mutuelle MGEN <info@mgen.example>",
        ["marie.martin"],
        "Votre attestation annuelle",
        "Votre attestation annuelle est disponible dans votre espace adhérent.",
        False,
    ),
    (
        "Association des parents d'élèves <ape.college@example.net>",
        ["marie.martin"],
        "Kermesse de fin d'année : appel aux bénévoles",
        "Bonjour,\n\nL'APE prépare la kermesse et cherche des enseignants volontaires "
        "pour tenir un stand.\n\nBien cordialement,\nL'APE",
        False,
    ),
    (
        "Service des examens <examens@ac-exemple.fr>",
        ["jean.dupont", "marie.martin"],
        "Convocation : correction du DNB",
        "Vous êtes convoqué(e) à la correction du DNB le 2 juillet à 9 h au lycée Victor-Hugo.",
        False,
    ),
]
# Repeat a few weekly notes so that the inbox has a few dozen messages and two pages.
WEEKLY_NOTES = [
    (
        "karim.benali",
        ["jean.dupont", "marie.martin"],
        f"Infos de la semaine n° {week}",
        f"Bonjour à tous,\n\nLes informations de la semaine {week} : réunion d'équipe lundi, "
        "exercice incendie jeudi, cantine fermée vendredi midi.\n\nKarim",
        False,
    )
    for week in range(40, 60)
]


def build_message(
    sender: str,
    to: list[str],
    subject: str,
    body: str,
    html: bool,
    sent_at: datetime,
    message_id: str | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = format_datetime(sent_at)
    message["Message-ID"] = message_id or make_msgid(domain="demo.invalid")
    if html:
        message.set_content("Ce message est au format HTML.")
        message.add_alternative(f"<html><body>{body}</body></html>", subtype="html")
    else:
        message.set_content(body)
    return message


def demo_messages(now: datetime) -> list[tuple[str, list[str], str, str, bool, datetime]]:
    """Every demo message with a send time in the past weeks, oldest first."""
    everything = WEEKLY_NOTES + CONVERSATIONS
    return [
        (*row, now - timedelta(hours=6 * (len(everything) - index)))
        for index, row in enumerate(everything)
    ]
