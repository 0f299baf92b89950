//! Reading action files: see `parse_actions`.
