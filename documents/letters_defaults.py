# ruff: noqa: E501  (template texts: one paragraph per line, as the office edits them)
"""The letter templates the portal ships: German, plain language, adaptable by the office.

They become version 1 of each template the first time letters are used
(`documents.letters.letter_templates_ensure`); the office's administrators change them in the
portal (Administration → Briefvorlagen), and every change is a new version.
"""

from documents.letters_schema import LetterKind

LAYOUT = {
    "letterhead": """<p><strong>{{ office.name }}</strong></p>
<p>Allgemeiner Sozialer Dienst – {{ caseworker.team }}</p>
<p>Rathausplatz 1, 04109 Lindenau</p>
<p>Telefon: {{ caseworker.phone|default:"0341 000-0" }}</p>
<p>{{ caseworker.email }}</p>""",
    "address_block": """<p><small>{{ office.name }}, Rathausplatz 1, 04109 Lindenau</small></p>
<p>{{ recipient.name }}</p>
<p>{{ recipient.street }}</p>
<p>{{ recipient.postcode }} {{ recipient.city|default:"Lindenau" }}</p>""",
    "signature": """<p>Mit freundlichen Grüßen</p>
<p>Im Auftrag</p>
<p>{{ caseworker.name }}</p>
<p>{{ caseworker.team }}</p>""",
    "footer": """<p>{{ office.name }} · Rathausplatz 1 · 04109 Lindenau · Sprechzeiten: Dienstag 9 bis 12 Uhr, Donnerstag 14 bis 18 Uhr und nach Vereinbarung</p>
<p>Bitte geben Sie bei Antworten das Aktenzeichen {{ case_number }} an.</p>""",
}

HELP_PLAN = {
    "subject": "Ihr Hilfeplan: {{ help.name }}",
    "body": """<p>{{ salutation }}</p>
<p>wir haben mit Ihnen zusammen einen Plan gemacht. In diesem Brief steht, was Sie erreichen wollen und wer was bis wann tut.</p>
<h2>Die Hilfe</h2>
<p>{{ help.name }} ({{ help.legal_basis }}){% if help.provider %}. Sie wird durchgeführt von: {{ help.provider }}{% endif %}</p>
<p>Sie beginnt am {{ help.starts_on|date:"d.m.Y" }} und ist geplant bis zum {{ help.planned_end_on|date:"d.m.Y" }}.{% if help.scope %} Umfang: {{ help.scope }}.{% endif %}</p>
{% if concern %}<h2>Was Sie sich wünschen</h2>
<p>„{{ concern }}“</p>{% endif %}
<h2>Ihre Ziele und die nächsten Schritte</h2>
{% for goal in goals %}<h3>Ziel {{ forloop.counter }}: „{{ goal.text }}“</h3>
{% if goal.steps %}<table>
<thead><tr><th>Was wird getan?</th><th>Wer?</th><th>Bis wann?</th></tr></thead>
<tbody>{% for step in goal.steps %}<tr><td>{{ step.text }}</td><td>{{ step.who }}</td><td>{{ step.due_on|date:"d.m.Y"|default:"offen" }}</td></tr>{% endfor %}</tbody>
</table>{% else %}<p>Die Schritte zu diesem Ziel besprechen wir beim nächsten Treffen.</p>{% endif %}
{% empty %}<p>Ihre Ziele besprechen wir beim nächsten Treffen.</p>{% endfor %}
<h2>Wann wir wieder miteinander sprechen</h2>
{% if next_review %}<p>Das nächste Hilfeplangespräch ist am {{ next_review.date|date:"d.m.Y" }}{% if next_review.time %} um {{ next_review.time|time:"H:i" }} Uhr{% endif %}{% if next_review.place %} ({{ next_review.place }}){% endif %}. Dann schauen wir gemeinsam, was gut geklappt hat und was sich ändern soll.</p>
{% else %}<p>Den Termin für das nächste Gespräch sprechen wir mit Ihnen ab.</p>{% endif %}
<p>Wenn etwas in diesem Plan nicht stimmt oder Sie Fragen haben, rufen Sie uns bitte an{% if caseworker.phone %}: {{ caseworker.phone }}{% endif %}.</p>""",
}

INVITATION = {
    "subject": 'Einladung zum Hilfeplangespräch{% if review.time %} am {{ review.date|date:"d.m.Y" }}{% endif %}',
    "body": """<p>{{ salutation }}</p>
<p>wir laden Sie herzlich zum Hilfeplangespräch ein. Dort sprechen wir gemeinsam darüber, wie die Hilfe „{{ help.name }}“ läuft und wie es weitergeht.</p>
{% if review.time %}<p><strong>Termin: {{ review.date|date:"l, d.m.Y" }} um {{ review.time|time:"H:i" }} Uhr</strong></p>
<p><strong>Ort: {{ review.place|default:"im Jugendamt" }}</strong></p>
{% else %}<p><strong>Das nächste Gespräch ist fällig (geplant war der {{ review.date|date:"d.m.Y" }}).</strong> Bitte rufen Sie uns an, damit wir einen Termin finden, der für Sie passt{% if caseworker.phone %}: {{ caseworker.phone }}{% endif %}.</p>{% endif %}
{% if review.invited %}<p>Eingeladen sind: {{ review.invited|join:", " }}.</p>{% endif %}
{% if goals %}<p>Wir sprechen über Ihre Ziele:</p>
<ul>{% for goal in goals %}<li>„{{ goal.text }}“</li>{% endfor %}</ul>{% endif %}
<p>Sie können gern eine Person mitbringen, der Sie vertrauen. Wenn Sie nicht kommen können, sagen Sie uns bitte Bescheid.</p>""",
}

DECISION_NOTICE = {
    "subject": "Bescheid: {% if decision.granted %}Bewilligung{% else %}Ablehnung{% endif %} – {{ decision.help_name }}",
    "body": """<p>{{ salutation }}</p>
{% if decision.granted %}<p>auf Ihren Antrag{% if decision.applied_on %} vom {{ decision.applied_on|date:"d.m.Y" }}{% endif %} bewilligen wir Ihnen</p>
<p><strong>{{ decision.help_name }}</strong><br>vom {{ decision.starts_on|date:"d.m.Y" }} bis zum {{ decision.planned_end_on|date:"d.m.Y" }}{% if decision.scope %}, Umfang: {{ decision.scope }}{% endif %}.</p>
{% else %}<p>Ihren Antrag{% if decision.applied_on %} vom {{ decision.applied_on|date:"d.m.Y" }}{% endif %} auf <strong>{{ decision.help_name }}</strong> lehnen wir ab.</p>{% endif %}
<h2>Rechtsgrundlage</h2>
<p>Diese Entscheidung beruht auf {{ decision.legal_basis }}.</p>
<h2>Begründung</h2>
<p>{{ decision.reasons|linebreaksbr }}</p>
<h2>Rechtsbehelfsbelehrung</h2>
<p>{{ legal_remedy }}</p>""",
}

COMMISSION_NOTICE = {
    "subject": "Beauftragung: {{ help.name }} (Aktenzeichen {{ case_number }})",
    "body": """<p>{{ salutation }}</p>
<p>hiermit beauftragen wir Sie mit der Durchführung der folgenden Hilfe:</p>
<table><tbody>
<tr><th>Hilfe</th><td>{{ help.name }} ({{ help.legal_basis }})</td></tr>
<tr><th>Zeitraum</th><td>{{ assignment.starts_on|date:"d.m.Y" }} bis {{ assignment.ends_on|date:"d.m.Y" }}</td></tr>
<tr><th>Umfang</th><td>{{ help.scope }}</td></tr>
<tr><th>Hausbesuche</th><td>{{ assignment.with_home_visits|yesno:"ja,nein" }}</td></tr>
{% if assignment.contact %}<tr><th>Ihre Ansprechperson</th><td>{{ assignment.contact }}</td></tr>{% endif %}
</tbody></table>
<h2>Auftrag</h2>
<p>{{ assignment.instructions|default:"Siehe Hilfeplan."|linebreaksbr }}</p>
<h2>Ziele aus dem Hilfeplan</h2>
<ul>{% for goal in goals %}<li>{{ goal.text }}</li>{% empty %}<li>Die Ziele werden im ersten Hilfeplangespräch vereinbart.</li>{% endfor %}</ul>
<p>Bitte berichten Sie uns vor jedem Hilfeplangespräch schriftlich über den Verlauf. Die Daten der Familie dürfen Sie nur für diesen Auftrag verwenden.</p>""",
}

CONTRIBUTION_NOTICE = {
    "subject": "Bescheid über die Heranziehung zu einem Kostenbeitrag (§§ 91 ff. SGB VIII)",
    "body": """<p>{{ salutation }}</p>
<p>für die Hilfe „{{ help.name }}“ ab {{ help.starts_on|date:"d.m.Y" }} werden Sie ab dem {{ contribution.starts_on|date:"d.m.Y" }}{% if contribution.ends_on %} bis zum {{ contribution.ends_on|date:"d.m.Y" }}{% endif %} zu einem monatlichen Kostenbeitrag herangezogen.</p>
<table><tbody>
<tr><td>Maßgebliches Einkommen (§ 93 SGB VIII)</td><td>{{ contribution.income }} monatlich</td></tr>
<tr><td>Einkommensgruppe / Beitragsstufe</td><td>{% if contribution.group %}{{ contribution.group }}{% else %}Einkommen über der obersten Gruppe (§ 5 KostenbeitragsV){% endif %} / {{ contribution.stage }}{% if contribution.further_dependants %} (berücksichtigt: {{ contribution.further_dependants }} weitere Unterhaltsberechtigte, § 4 KostenbeitragsV){% endif %}{% if contribution.young_adult %} (junger Volljähriger, § 6 KostenbeitragsV){% endif %}</td></tr>
<tr><td>Betrag nach der Kostenbeitragsverordnung</td><td>{{ contribution.table_amount }}</td></tr>
<tr><td>Kostenbeitrag aus Einkommen</td><td>{{ contribution.amount }}</td></tr>
{% if contribution.receives_child_benefit %}<tr><td>Kostenbeitrag in Höhe des Kindergeldes (§ 94 Abs. 3 SGB VIII)</td><td>{{ contribution.child_benefit_amount }}</td></tr>{% endif %}
<tr><td><strong>Monatlicher Kostenbeitrag</strong></td><td><strong>{{ contribution.monthly_total }}</strong></td></tr>
</tbody></table>
{% if contribution.reduction_reason %}<p>Der Kostenbeitrag ist niedriger festgesetzt als nach der Tabelle: {{ contribution.reduction_reason }}</p>{% endif %}
<p>Der Kostenbeitrag ist jeweils zum 15. eines Monats fällig. Grundlage: {{ contribution.table_name }} ({{ contribution.table_source }}).</p>
<h2>Rechtsbehelfsbelehrung</h2>
<p>{{ legal_remedy }}</p>""",
}

REIMBURSEMENT_CLAIM = {
    "subject": "Kostenerstattung nach {{ claim.legal_basis }}",
    "body": """<p>Unser Zeichen: {{ claim.number }}{% if claim.their_reference %} · Ihr Zeichen: {{ claim.their_reference }}{% endif %}</p>
<p>{{ salutation }}</p>
<p>für die unten genannte Hilfe machen wir den Anspruch auf Erstattung der aufgewendeten Kosten geltend.</p>
<table><tbody>
<tr><th>Junger Mensch</th><td>{% if young_person %}{{ young_person.name }}{% if young_person.birth_date %}, geboren am {{ young_person.birth_date|date:"d.m.Y" }}{% endif %}{% else %}siehe Fall {{ case_number }}{% endif %}</td></tr>
<tr><th>Hilfe</th><td>{{ help.name }} seit {{ help.starts_on|date:"d.m.Y" }}</td></tr>
<tr><th>Zeitraum</th><td>{{ claim.period_start|date:"d.m.Y" }} bis {{ claim.period_end|date:"d.m.Y" }}</td></tr>
<tr><th>Betrag</th><td>{{ claim.amount }}</td></tr>
</tbody></table>
<h2>Aufstellung der Zahlungen</h2>
<table>
<thead><tr><th>Leistungszeitraum</th><th>gezahlt am</th><th>Betrag</th></tr></thead>
<tbody>{% for payment in payments %}<tr><td>{% if payment.period_start %}{{ payment.period_start|date:"d.m.Y" }} – {{ payment.period_end|date:"d.m.Y" }}{% else %}–{% endif %}</td><td>{{ payment.paid_on|date:"d.m.Y" }}</td><td>{{ payment.amount }}</td></tr>{% endfor %}</tbody>
</table>
<p>Bitte überweisen Sie den Betrag unter Angabe unseres Zeichens {{ claim.number }}. Teilzahlungen verbuchen wir als solche.</p>""",
}

DEFAULTS: dict[str, dict[str, str]] = {
    LetterKind.LAYOUT: LAYOUT,
    LetterKind.HELP_PLAN: HELP_PLAN,
    LetterKind.INVITATION: INVITATION,
    LetterKind.DECISION_NOTICE: DECISION_NOTICE,
    LetterKind.COMMISSION_NOTICE: COMMISSION_NOTICE,
    LetterKind.CONTRIBUTION_NOTICE: CONTRIBUTION_NOTICE,
    LetterKind.REIMBURSEMENT_CLAIM: REIMBURSEMENT_CLAIM,
}
