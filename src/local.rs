//! Per-instance statics (one per wasm instance, i.e. per isolate): `thread_local!`, with a `with`
//! API the caches share.

pub type Local<T> = std::thread::LocalKey<T>;

/// `local! { static NAME: Type = const { init }; }`
macro_rules! local {
    ($($(#[$attr:meta])* static $name:ident: $ty:ty = const { $init:expr };)*) => {
        std::thread_local! { $($(#[$attr])* static $name: $ty = const { $init };)* }
    };
}
pub(crate) use local;

/// Appends `item` to a per-isolate cache of at most `capacity` entries, dropping the oldest first.
pub fn push_bounded<T>(entries: &mut Vec<T>, capacity: usize, item: T) {
    if entries.len() >= capacity {
        entries.remove(0);
    }
    entries.push(item);
}
