//! The boxed future every port returns, so that ports can be used as trait objects
//! (`Arc<dyn CatalogStore>`, `Arc<dyn Runtime>`) by code that must not know what is behind them.

use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future borrowing for `'a`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
