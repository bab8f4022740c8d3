//! Running the mock: on a listener of the caller's choosing, or on a loopback port of its own.

use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::{JoinHandle, JoinSet};

use crate::fixtures::Fixtures;

use super::faults::Fault;
use super::links::ApiVersion;
use super::router::app_serving;
use super::state::MockState;

/// Why the mock could not start.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// The listening socket could not be bound.
    #[error("cannot bind the mock to {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The operating system's error.
        source: io::Error,
    },
    /// The bound socket's address could not be read.
    #[error("cannot read the mock's listening address: {source}")]
    LocalAddr {
        /// The operating system's error.
        source: io::Error,
    },
}

/// A mock running on a loopback port in a background task.
#[derive(Debug)]
pub struct MockServer {
    /// Where it listens: `http://127.0.0.1:PORT`, no trailing slash.
    pub base_url: String,
    /// The state it serves, kept to show what requests changed ([`MockServer::dump`]).
    state: MockState,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl MockServer {
    /// Starts a mock on an ephemeral port of 127.0.0.1, with the fixtures' users and the given
    /// faults.
    pub async fn start(fixtures: &Fixtures, faults: &[Fault]) -> Result<MockServer, MockError> {
        MockServer::start_serving(fixtures, faults, &ApiVersion::ALL).await
    }

    /// [`MockServer::start`] serving only the given API versions.
    pub async fn start_serving(
        fixtures: &Fixtures,
        faults: &[Fault],
        versions: &[ApiVersion],
    ) -> Result<MockServer, MockError> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| MockError::Bind { addr, source })?;
        let bound = listener
            .local_addr()
            .map_err(|source| MockError::LocalAddr { source })?;
        let (tx, rx) = oneshot::channel::<()>();
        // A dropped sender also ends the server, so a forgotten MockServer does not linger.
        let signal = async move {
            let _ = rx.await;
        };
        let state = MockState::new(fixtures, faults);
        let router = app_serving(state.clone(), versions);
        let task = tokio::spawn(run(listener, router, signal));
        Ok(MockServer {
            base_url: format!("http://{bound}"),
            state,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// Everything requests can change in this mock (properties, worklogs, project roles), sorted
    /// and deterministic: two dumps are equal when the requests between them left nothing
    /// changed.
    pub fn dump(&self) -> serde_json::Value {
        self.state.dump()
    }

    /// Stops accepting connections, lets requests in flight finish, and waits for the task.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            // Nobody to report a serve error or a panic to once the server is being discarded.
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Serves the mock on `listener` until `shutdown` completes, then finishes the requests in
/// flight.
pub async fn serve(
    listener: TcpListener,
    fixtures: &Fixtures,
    faults: &[Fault],
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_versions(listener, fixtures, faults, &ApiVersion::ALL, shutdown).await
}

/// [`serve`] with only the given API versions.
pub async fn serve_versions(
    listener: TcpListener,
    fixtures: &Fixtures,
    faults: &[Fault],
    versions: &[ApiVersion],
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let router = app_serving(MockState::new(fixtures, faults), versions);
    run(listener, router, shutdown).await
}

/// How long a client may take to send a request's head (request line and headers), from the
/// moment the server waits for it: a client that trickles its headers (slowloris) or leaves a
/// kept-alive connection idle this long is disconnected, so it cannot hold a connection open.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The server loop, owning everything it uses so that it can run in its own task.
async fn run(
    listener: TcpListener,
    router: axum::Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    run_with(listener, router, shutdown, HEADER_READ_TIMEOUT).await
}

/// [`run`] with a header read timeout of the caller's choosing. `axum::serve` offers none, so
/// the loop is hyper's HTTP/1 server (with a timer) around the router: each connection is
/// served until it ends or, once `shutdown` completes, until its request in flight is answered.
async fn run_with(
    listener: TcpListener,
    router: axum::Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    header_read_timeout: Duration,
) -> io::Result<()> {
    let (stop, stopping) = watch::channel(());
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // A connection that failed before it was accepted concerns only its client.
                Err(e) if per_connection(&e) => continue,
                // Out of file descriptors or the like: wait a little rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        // Answers go out as soon as they are written, not held back for an earlier segment's
        // acknowledgement (Nagle): a request-answer protocol gains nothing from coalescing.
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone());
        let mut stopping = stopping.clone();
        connections.spawn(async move {
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_read_timeout);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                // A broken or timed-out connection concerns only its client.
                _ = connection.as_mut() => {}
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
        // Finished connections are reaped as the loop goes, so the set does not grow.
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = stop.send(());
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// Whether an accept error is about one connection only (the loop goes on at once).
fn per_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    use super::*;

    /// Starts the mock with `timeout`; its address and the sender that stops it.
    async fn start(
        timeout: Duration,
    ) -> (SocketAddr, oneshot::Sender<()>, JoinHandle<io::Result<()>>) {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let fixtures = Fixtures::embedded().expect("embedded fixtures");
        let (tx, rx) = oneshot::channel::<()>();
        let signal = async move {
            let _ = rx.await;
        };
        let task = tokio::spawn(run_with(
            listener,
            crate::mock::app(MockState::new(&fixtures, &[])),
            signal,
            timeout,
        ));
        (addr, tx, task)
    }

    /// Reads until the server closes the connection (or resets it); what it sent.
    async fn read_to_close(stream: &mut TcpStream) -> Vec<u8> {
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return out,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    }

    #[tokio::test]
    async fn a_client_that_stalls_in_its_request_line_is_disconnected_after_the_timeout() {
        let timeout = Duration::from_millis(300);
        let (addr, stop, task) = start(timeout).await;
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        let started = Instant::now();
        stream
            .write_all(b"GET /rest/api/3/myse")
            .await
            .expect("half a request line");
        // Bounded: a server without the timeout would keep the connection for ever.
        let answer = tokio::time::timeout(Duration::from_secs(5), read_to_close(&mut stream))
            .await
            .expect("the server closed the stalled connection within 5 s");
        let waited = started.elapsed();
        assert!(answer.is_empty(), "{:?}", String::from_utf8_lossy(&answer));
        assert!(
            waited >= timeout,
            "closed after {waited:?}, before the timeout"
        );

        // A client that sends its request in time is still answered.
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        stream
            .write_all(
                b"GET /rest/api/3/serverInfo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            )
            .await
            .expect("a whole request");
        let answer = tokio::time::timeout(Duration::from_secs(5), read_to_close(&mut stream))
            .await
            .expect("answered within 5 s");
        assert!(
            answer.starts_with(b"HTTP/1.1 "),
            "{:?}",
            String::from_utf8_lossy(&answer)
        );

        let _ = stop.send(());
        tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .expect("the server stops within 5 s")
            .expect("no panic")
            .expect("no error");
    }
}
