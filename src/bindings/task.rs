//! The package's promises: each method's future, run by a small single-threaded executor that
//! polls in promise reactions (`then` on a settled promise). wasm-bindgen-futures polls in
//! `queueMicrotask` jobs instead, and workerd's `queueMicrotask` costs about 3 µs a call where a
//! reaction costs under 0.1 µs: an access token verification waits for two (bench/PROFILE.md).

use alloc::collections::VecDeque;
use alloc::rc::Rc;
use core::cell::{Cell, RefCell};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, RawWaker, RawWakerVTable, Waker};
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

type Job = Pin<Box<dyn Future<Output = ()>>>;

/// A spawned future, and whether it waits in the queue.
struct Task {
    job: RefCell<Option<Job>>,
    queued: Cell<bool>,
}

/// The tasks woken since the last run, and the reaction that will run them.
struct Queue {
    tasks: RefCell<VecDeque<Rc<Task>>>,
    scheduled: Cell<bool>,
    settled: Promise,
    run: Closure<dyn FnMut(JsValue)>,
}

std::thread_local! {
    static QUEUE: Queue = Queue {
        tasks: RefCell::new(VecDeque::new()),
        scheduled: Cell::new(false),
        settled: Promise::resolve(&JsValue::UNDEFINED),
        run: Closure::new(|_| run_queued()),
    };
}

/// Polls the tasks queued before this run; a task woken meanwhile waits for the next one.
fn run_queued() {
    let count = QUEUE.with(|q| {
        q.scheduled.set(false);
        q.tasks.borrow().len()
    });
    for _ in 0..count {
        let Some(task) = QUEUE.with(|q| q.tasks.borrow_mut().pop_front()) else { break };
        task.queued.set(false);
        task.poll();
    }
}

impl Task {
    fn poll(self: &Rc<Self>) {
        // A wake-up during the poll only queues the task: this borrow is never taken twice.
        let mut job = self.job.borrow_mut();
        let Some(future) = job.as_mut() else { return };
        let waker = waker(Rc::clone(self));
        if future.as_mut().poll(&mut Context::from_waker(&waker)).is_ready() {
            *job = None;
        }
    }

    fn schedule(self: Rc<Self>) {
        if self.queued.replace(true) {
            return;
        }
        QUEUE.with(|q| {
            q.tasks.borrow_mut().push_back(self);
            if !q.scheduled.replace(true) {
                let _ = q.settled.then(&q.run);
            }
        });
    }
}

// The waker is an `Rc<Task>` behind a pointer, as wasm-bindgen-futures' single-threaded one.
const VTABLE: RawWakerVTable = RawWakerVTable::new(clone_raw, wake_raw, wake_by_ref_raw, drop_raw);

fn waker(task: Rc<Task>) -> Waker {
    // SAFETY: the pointer is an `Rc<Task>`'s, and the vtable's functions keep its count.
    unsafe { Waker::from_raw(RawWaker::new(Rc::into_raw(task).cast(), &VTABLE)) }
}

unsafe fn clone_raw(p: *const ()) -> RawWaker {
    Rc::increment_strong_count(p.cast::<Task>());
    RawWaker::new(p, &VTABLE)
}

unsafe fn wake_raw(p: *const ()) {
    Rc::from_raw(p.cast::<Task>()).schedule();
}

unsafe fn wake_by_ref_raw(p: *const ()) {
    Rc::increment_strong_count(p.cast::<Task>());
    Rc::from_raw(p.cast::<Task>()).schedule();
}

unsafe fn drop_raw(p: *const ()) {
    drop(Rc::from_raw(p.cast::<Task>()));
}

/// A promise of `f`'s result: resolved with its value, rejected with its error. `f` is first
/// polled in a reaction, as a promise job, never during the call that made it.
pub fn promise(f: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    let mut settle: Option<(Function, Function)> = None;
    let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    let Some((resolve, reject)) = settle else { return promise };
    let job = async move {
        let _ = match f.await {
            Ok(v) => resolve.call1(&JsValue::UNDEFINED, &v),
            Err(e) => reject.call1(&JsValue::UNDEFINED, &e),
        };
    };
    Rc::new(Task { job: RefCell::new(Some(Box::pin(job))), queued: Cell::new(false) }).schedule();
    promise
}
