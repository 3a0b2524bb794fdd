"""The service layer: the only place that writes (validate, authorise, mutate, record)."""
