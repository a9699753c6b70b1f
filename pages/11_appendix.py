"""Appendix: the people involved (the only place for names), links, and sign-offs."""

import streamlit as st

from components import attachments, imported_text, page, session, table
from postmortem.models import ContactKind, LinkKind, SignOffRole
from storage.access import Permission

SLUG = "appendix"
stored = page.step(SLUG)
TEXT, CHOICE = st.column_config.TextColumn, st.column_config.SelectboxColumn

st.subheader("Contacts")
st.caption(
    "This table is the only place where people are named. Everywhere else, the document speaks "
    "of roles: 'the on-call engineer', 'the release manager'."
)
CONTACTS = table.TableSpec(
    path="contacts",
    label="Contacts",
    required="name",
    columns=(
        table.Column("name", TEXT("Name", required=True)),
        table.Column(
            "kind",
            CHOICE("Person or team", options=[k.value for k in ContactKind], required=True),
            "choice",
            "person",
        ),
        table.Column("role", TEXT("Role in the incident")),
        table.Column("team", TEXT("Team")),
        table.Column("contact", TEXT("E-mail or handle")),
    ),
)
if session.can(Permission.SEE_NAMES, stored.id):
    table.editor(stored, CONTACTS)
else:
    st.info(
        "Names are shown to reviewers, admins and this post-mortem's owner; your role does not see them.",
        icon=":material/lock:",
    )

st.subheader("Links")
table.editor(
    stored,
    table.TableSpec(
        path="links",
        label="Links",
        required="url",
        columns=(
            table.Column("label", TEXT("What it is")),
            table.Column("url", st.column_config.LinkColumn("URL", required=True)),
            table.Column(
                "kind", CHOICE("Kind", options=[k.value for k in LinkKind], required=True), "choice", "other"
            ),
        ),
    ),
)

st.subheader("Sign-off")
st.caption("Author, incident commander and team lead sign once the review meeting is done.")
table.editor(
    stored,
    table.TableSpec(
        path="sign_offs",
        label="Sign-offs",
        required="name",
        columns=(
            table.Column(
                "role",
                CHOICE("Role", options=[r.value for r in SignOffRole], required=True),
                "choice",
                "author",
            ),
            table.Column("name", TEXT("Name", required=True)),
            table.Column(
                "signed_at",
                st.column_config.DatetimeColumn("Signed at (UTC)", format="YYYY-MM-DD HH:mm", required=True),
                "datetime",
            ),
        ),
    ),
)
imported_text.show(stored)
attachments.panel(stored, "appendix")
page.footer(SLUG, stored)
