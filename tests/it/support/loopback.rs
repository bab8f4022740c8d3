//! A target written inside a test: a router served on a loopback port the system picks.

use axum::Router;

/// Serves `app` on `127.0.0.1:0` for the rest of the test and returns its base URL
/// (`http://127.0.0.1:PORT`).
pub async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("its address"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    url
}
