"""Admin: users and roles, who may see which post-mortem, the whole audit trail, backups."""

import streamlit as st

from components import admin, backup_panel, notify_prefs, restore_panel, shell

shell.ensure()
st.title("Admin")
if not admin.allowed():
    admin.refusal()
    st.stop()
users_tab, access_tab, trail_tab, backup_tab = st.tabs(
    ["Users and roles", "Access to post-mortems", "Audit trail", "Backups"]
)
with users_tab:
    admin.users_panel()
with access_tab:
    admin.documents_panel()
with trail_tab:
    admin.trail_panel()
with backup_tab:
    backup_panel.show()
    restore_panel.show()
with st.expander("Notifications not delivered"):
    admin.notifications_panel()
with st.expander("Notification preferences of a user"):
    notify_prefs.others_panel()
