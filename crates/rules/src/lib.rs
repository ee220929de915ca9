//! Pure attendance rule engine (in progress).
