//! Running the mock: on a listener of the caller's choosing, or on a loopback port of its own.

use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

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
        let router = app_serving(MockState::new(fixtures, faults), versions);
        let task = tokio::spawn(run(listener, router, signal));
        Ok(MockServer {
            base_url: format!("http://{bound}"),
            shutdown: Some(tx),
            task: Some(task),
        })
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

/// The server loop, owning everything it uses so that it can run in its own task.
async fn run(
    listener: TcpListener,
    router: axum::Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}
