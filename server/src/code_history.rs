//! The code history behind the delivery view (`domain::delivery::code::CodeHistory`): a folder
//! of local git repositories, for the embedded demo and for organisations that mirror their
//! repositories next to the portal.

pub mod local_git;

pub use local_git::LocalGit;
