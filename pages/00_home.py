"""Home at /home as well as at the root: links and bookmarks made when Home lived at /home.

A file, not a second function page: the first request after a server start runs in Streamlit's folder
mode, which knows only files under pages/ and would answer /home with "Page not found"."""

from components import home, shell

shell.ensure()
home.show()
