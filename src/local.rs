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
