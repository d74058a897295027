"""Business rules. Services import nothing from Flask: the actor, the clock and the locale are
parameters; they flush and never commit, so a route (or a test) decides the transaction."""
