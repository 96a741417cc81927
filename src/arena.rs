//! The npm package's allocator: a bump arena that starts over whenever nothing is allocated.
//!
//! The package's wasm exports (`crate::js`) keep nothing between calls: every allocation made
//! during a call (its arguments, its work) is freed by its end, and its result is given up when
//! the driver asks for room for the next call's arguments (it has copied the result out by then;
//! `room` resets the arena there, see [`Arena::reset`]). Within a call the arena counts live
//! allocations and, when the count is back to zero, the next allocation starts again at the heap
//! base: no free lists, no fragmentation across calls, and memory that stays at the peak of the
//! largest single call (flat over any number of calls, which the package's tests check). Freeing
//! or growing the newest allocation happens in place (a `String` being built grows without
//! copying).
//!
//! Single-threaded by construction: the crate refuses to build for wasm32 with atomics.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32::{memory_grow, memory_size};
use core::cell::UnsafeCell;

const PAGE: usize = 65_536;

pub struct Arena {
    s: UnsafeCell<State>,
}

struct State {
    /// First free byte (0 before the first allocation).
    next: usize,
    /// Start of the newest allocation still live at the top, or 0.
    top: usize,
    /// Allocations not yet freed.
    live: usize,
}

// SAFETY: wasm32 without atomics has one thread (see `crate::local` for the same argument).
unsafe impl Sync for Arena {}

extern "C" {
    static __heap_base: u8;
}

impl Arena {
    pub const fn new() -> Self {
        Arena { s: UnsafeCell::new(State { next: 0, top: 0, live: 0 }) }
    }

    /// Forgets every allocation: the next one starts again at the heap base.
    ///
    /// # Safety
    /// Nothing allocated so far may be used again. The package's exports call it as a call
    /// begins (`room` in `crate::js`): nothing survives a call but its result, which the driver has
    /// copied out by then. Counting alone would not do after a trap: a call that traps leaves its
    /// allocations counted as live, and the arena would never start over again.
    pub unsafe fn reset(&self) {
        (*self.s.get()).live = 0;
    }
}

/// Makes sure memory extends to `end`; false when the host refuses to grow it.
fn reserve(end: usize) -> bool {
    let have = memory_size(0) * PAGE;
    end <= have || memory_grow(0, (end - have).div_ceil(PAGE)) != usize::MAX
}

unsafe impl GlobalAlloc for Arena {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let s = &mut *self.s.get();
        if s.live == 0 {
            s.next = core::ptr::addr_of!(__heap_base) as usize;
            s.top = 0;
        }
        let start = (s.next + layout.align() - 1) & !(layout.align() - 1);
        let Some(end) = start.checked_add(layout.size()) else { return core::ptr::null_mut() };
        if !reserve(end) {
            return core::ptr::null_mut();
        }
        s.next = end;
        s.top = start;
        s.live += 1;
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        let s = &mut *self.s.get();
        s.live -= 1;
        if ptr as usize == s.top {
            s.next = s.top;
            s.top = 0;
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let s = &mut *self.s.get();
        if ptr as usize == s.top {
            // The newest allocation: grow or shrink in place.
            let Some(end) = s.top.checked_add(new_size) else { return core::ptr::null_mut() };
            if !reserve(end) {
                return core::ptr::null_mut();
            }
            s.next = end;
            return ptr;
        }
        let new = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
        if !new.is_null() {
            core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        new
    }
}
