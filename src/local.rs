//! Per-instance statics. With std: `thread_local!`. In the no_std package build the module is
//! single-threaded wasm (a compile error says so otherwise), so a plain static serves, with the
//! same `with` API.

#[cfg(not(feature = "std"))]
pub struct Local<T>(pub T);

// SAFETY: the no_std build only targets wasm32 without the atomics feature: one thread, so no
// value is ever shared across threads.
#[cfg(not(feature = "std"))]
unsafe impl<T> Sync for Local<T> {}

#[cfg(not(feature = "std"))]
impl<T> Local<T> {
    pub fn with<R>(&'static self, f: impl FnOnce(&T) -> R) -> R {
        f(&self.0)
    }
}

#[cfg(all(not(feature = "std"), any(not(target_arch = "wasm32"), target_feature = "atomics")))]
compile_error!("without the `std` feature, auth0-edge supports only single-threaded wasm32");

#[cfg(feature = "std")]
pub type Local<T> = std::thread::LocalKey<T>;

/// `local! { static NAME: Type = const { init }; }`
macro_rules! local {
    ($($(#[$attr:meta])* static $name:ident: $ty:ty = const { $init:expr };)*) => {
        #[cfg(feature = "std")]
        std::thread_local! { $($(#[$attr])* static $name: $ty = const { $init };)* }
        $(
            #[cfg(not(feature = "std"))]
            $(#[$attr])* static $name: crate::local::Local<$ty> = crate::local::Local($init);
        )*
    };
}
pub(crate) use local;
