//! Follows an environment's log stream with the browser's own `EventSource`: when the
//! connection drops, the browser reconnects and sends the id of the last line it got
//! (`Last-Event-ID`), and the server resumes right after it, with no gap and no duplicate.

#[cfg(feature = "hydrate")]
use leptos::prelude::*;

use super::log_feed::LogFeed;

/// In the browser, opens the stream at `url` into `feed`, puts received lines on the page
/// every [`super::log_feed::FLUSH_EVERY`], and closes the stream when the page is left. On the
/// server nothing happens: the page renders as "live logs need JavaScript".
pub fn follow(feed: LogFeed, url: String) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| browser::open(feed, &url));
    #[cfg(not(feature = "hydrate"))]
    let _ = (feed, url);
}

#[cfg(feature = "hydrate")]
mod browser {
    use domain::runtime::{Dropped, LogEvent, StreamProblem};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{EventSource, MessageEvent};

    use super::super::log_feed::{Connection, FLUSH_EVERY, LogFeed};

    /// What must live as long as the page: the source, and the handlers it calls.
    struct Open {
        source: EventSource,
        _handlers: Vec<Closure<dyn FnMut(MessageEvent)>>,
    }

    /// Puts one event on the page.
    fn receive(feed: &LogFeed, event: LogEvent) {
        match event {
            LogEvent::Line(line) => feed.receive_line(line),
            LogEvent::Dropped(Dropped { count }) => {
                let lines = if count == 1 { "1 line".to_owned() } else { format!("{count} lines") };
                feed.receive_note(format!("⋯ {lines} dropped: this page fell behind"));
            }
            LogEvent::Problem(StreamProblem { message }) => {
                feed.receive_note(format!("⚠ The logs could not be read: {message}. The portal keeps trying."));
            }
            LogEvent::Restarted => {
                feed.receive_note("⟳ The stream started over: lines around here may be missing or repeated.".to_owned());
            }
        }
    }

    pub fn open(feed: LogFeed, url: &str) {
        feed.connection.set(Connection::Connecting);
        let source = match EventSource::new(url) {
            Ok(source) => source,
            Err(_) => {
                feed.connection.set(Connection::Disconnected("this browser could not open the stream.".to_owned()));
                return;
            }
        };
        let mut handlers = Vec::new();
        for name in LogEvent::NAMES {
            let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                if let Some(event) = event.data().as_string().and_then(|data| LogEvent::decode(name, &data)) {
                    receive(&feed, event);
                }
            });
            if source.add_event_listener_with_callback(name, handler.as_ref().unchecked_ref()).is_ok() {
                handlers.push(handler);
            }
        }
        let watched = source.clone();
        let on_error = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
            // The browser retries by itself unless the server answered with an error status.
            let state = if watched.ready_state() == EventSource::CLOSED {
                Connection::Disconnected("the portal refused or ended the stream. Reload the page to try again.".to_owned())
            } else {
                Connection::Reconnecting
            };
            feed.connection.try_set(state);
        });
        let on_open = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
            feed.connection.try_set(Connection::Connected);
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        handlers.extend([on_error, on_open]);

        let open = StoredValue::new_local(Open { source, _handlers: handlers });
        let flush = set_interval_with_handle(
            move || {
                if feed.flush() && feed.follow.get_untracked() {
                    feed.scroll_to_end();
                }
            },
            FLUSH_EVERY,
        )
        .ok();
        on_cleanup(move || {
            if let Some(handle) = flush {
                handle.clear();
            }
            open.try_with_value(|open| open.source.close());
        });
    }
}
