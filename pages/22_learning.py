"""Learning: how the team learns from incidents, quarter by quarter, across every post-mortem."""

from components import learning, shell

shell.ensure()
learning.show()
