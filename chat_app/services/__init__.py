"""Business rules, authorization and transactions. Never imports Reflex:
controllers, the realtime service and scripts all call the same functions."""
