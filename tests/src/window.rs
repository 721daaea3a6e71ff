//! The real Ventanilla window under WebDriver: `tauri-driver` starts the built app with
//! its own data folder, and each helper waits for what a person would wait for.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tokio::process::{Child, Command};

/// How long any single expectation may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(30);

pub struct AppWindow {
    pub client: Client,
    driver: Child,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn tauri_driver() -> PathBuf {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|home| home.join("bin").join("tauri-driver"));
    match cargo_bin {
        Some(path) if path.is_file() => path,
        _ => PathBuf::from("tauri-driver"),
    }
}

impl AppWindow {
    /// Launches the debug build of the app on `data_dir` and waits for its home screen.
    /// It must be built with `cargo build -p ventanilla-app --features test-dialogs`,
    /// so that the file dialogs can be answered (see [`AppWindow::launch_with`]).
    pub async fn launch(data_dir: &Path) -> AppWindow {
        Self::launch_with(data_dir, &[]).await
    }

    /// Like [`AppWindow::launch`], with extra environment for the app (such as
    /// `VENTANILLA_PICK_FILE`, the file its "attach" dialog answers with; only the
    /// `test-dialogs` build honours it).
    pub async fn launch_with(data_dir: &Path, env: &[(&str, &Path)]) -> AppWindow {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "the window tests need a display: run them under `xvfb-run -a dbus-run-session --`"
        );
        let app = crate::built_binary("ventanilla-app", "debug");
        let port = free_port();
        let driver = Command::new(tauri_driver())
            .args(["--port", &port.to_string()])
            .args(["--native-port", &free_port().to_string()])
            .env("VENTANILLA_DATA_DIR", data_dir)
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("NO_AT_BRIDGE", "1")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("tauri-driver runs (cargo install tauri-driver --locked)");
        let url = format!("http://127.0.0.1:{port}");
        let capabilities = json!({ "tauri:options": { "application": app } });
        let capabilities = capabilities.as_object().cloned().unwrap_or_default();
        let started = Instant::now();
        let client = loop {
            match ClientBuilder::native()
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(e) if started.elapsed() < PATIENCE => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("could not start a WebDriver session on the app: {e}"),
            }
        };
        let window = AppWindow { client, driver };
        window.find("#app[data-ready='true']").await;
        window
    }

    /// Closes the app as a user would, by ending the session (the window closes).
    pub async fn quit(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill().await;
    }

    pub async fn find(&self, css: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(e) => self.fail(&format!("{css} never appeared: {e}")).await,
        }
    }

    /// Stops the test with `why` and what the window showed then (its text, and a
    /// screenshot `failure.png` when screenshots are kept), so a failure in CI can be
    /// read without running it again.
    async fn fail(&self, why: &str) -> ! {
        self.screenshot("failure").await;
        let shown = self
            .client
            .execute("return document.body.innerText", vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        panic!("{why}\n--- the window showed ---\n{shown}")
    }

    pub async fn click(&self, css: &str) {
        if let Err(e) = self.find(css).await.click().await {
            self.fail(&format!("could not click {css}: {e}")).await;
        }
    }

    /// Scrolls `css` to the middle of its scrolling box, as a person brings what they
    /// are about to click into full view.
    pub async fn scroll_to(&self, css: &str) {
        let element = self.find(css).await;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'})",
                vec![serde_json::to_value(&element).expect("an element as JSON")],
            )
            .await
            .unwrap_or_else(|e| panic!("could not scroll to {css}: {e}"));
    }

    /// Replaces an input's content by typing, keystroke by keystroke.
    pub async fn type_into(&self, css: &str, text: &str) {
        let input = self.find(css).await;
        input
            .clear()
            .await
            .unwrap_or_else(|e| panic!("could not clear {css}: {e}"));
        input
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("could not type into {css}: {e}"));
    }

    pub async fn value(&self, css: &str) -> String {
        self.find(css)
            .await
            .prop("value")
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap_or_default()
    }

    /// Waits until `check` holds for the text of `css` (which may come and go meanwhile).
    pub async fn wait_text(&self, css: &str, check: impl Fn(&str) -> bool, what: &str) {
        let started = Instant::now();
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if check(&text) {
                return;
            }
            if started.elapsed() > PATIENCE {
                self.fail(&format!("{css}: expected {what}, last text was {text:?}"))
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The text of `css` as the DOM holds it (`textContent`, trimmed). WebKit's
    /// WebDriver reads no rendered text inside a modal `<dialog>` (the top layer), so
    /// what a dialog shows is read this way; `None` while nothing matches.
    pub async fn content(&self, css: &str) -> Option<String> {
        self.client
            .execute(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : null",
                vec![json!(css)],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
    }

    /// Waits until `check` holds for the [`content`](Self::content) of `css`.
    pub async fn wait_content(&self, css: &str, check: impl Fn(&str) -> bool, what: &str) {
        let started = Instant::now();
        loop {
            let text = self.content(css).await.unwrap_or_default();
            if check(&text) {
                return;
            }
            if started.elapsed() > PATIENCE {
                self.fail(&format!(
                    "{css}: expected {what}, last content was {text:?}"
                ))
                .await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sends keys to an element, as typing or pressing keys while it has the focus.
    pub async fn press(&self, css: &str, keys: &str) {
        self.find(css)
            .await
            .send_keys(keys)
            .await
            .unwrap_or_else(|e| panic!("could not send keys to {css}: {e}"));
    }

    /// The id of the element that has the keyboard focus.
    pub async fn focused_id(&self) -> String {
        match self.client.active_element().await {
            Ok(element) => element.attr("id").await.ok().flatten().unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Waits until the keyboard focus is on the element with `id`.
    pub async fn wait_focus(&self, id: &str) {
        let started = Instant::now();
        loop {
            let focused = self.focused_id().await;
            if focused == id {
                return;
            }
            if started.elapsed() > PATIENCE {
                self.fail(&format!("focus never reached #{id} (it is on #{focused})"))
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a screenshot as `<VENTANILLA_SCREENSHOTS>/<name>.png` when that variable
    /// names a folder (how the README's pictures are made); otherwise does nothing.
    pub async fn screenshot(&self, name: &str) {
        let Some(folder) = std::env::var_os("VENTANILLA_SCREENSHOTS") else {
            return;
        };
        let png = self
            .client
            .screenshot()
            .await
            .expect("a screenshot of the window");
        std::fs::create_dir_all(&folder).expect("the screenshot folder can be made");
        std::fs::write(Path::new(&folder).join(format!("{name}.png")), png)
            .expect("the screenshot folder is writable");
    }

    /// Creates a supplier account for `rfc` on the server at `url`, in the connection
    /// form on the page shown, and waits until signed in.
    pub async fn create_supplier_account(&self, url: &str, email: &str, password: &str, rfc: &str) {
        // The address sits under "Avanzado", folded when one came preset.
        self.client
            .execute(
                "document.querySelector('form.server details.advanced').open = true",
                vec![],
            )
            .await
            .expect("the advanced part unfolded");
        self.type_into("input[name='url']", url).await;
        self.type_into("input[name='email']", email).await;
        self.type_into("input[name='password']", password).await;
        self.click("input[name='create']").await;
        self.type_into("input[name='rfc']", rfc).await;
        self.screenshot("settings-sign-up").await;
        self.click("form.server button[type='submit']").await;
        self.find("[data-signed-in='true']").await;
    }

    /// Signs in the open "Firmar y enviar" dialog with the e.firma the business
    /// remembers, typing `password`, and waits until the dialog has closed (signed and
    /// queued).
    pub async fn sign(&self, password: &str) {
        self.find("[data-testid='sign-facts']").await;
        self.type_into("#sign-password", password).await;
        self.click("#sign-confirm").await;
        self.wait_gone("[data-testid='sign-dialog']").await;
    }

    /// How many elements match `css` now.
    pub async fn count(&self, css: &str) -> usize {
        match self.client.find_all(Locator::Css(css)).await {
            Ok(found) => found.len(),
            Err(e) => self.fail(&format!("could not look for {css}: {e}")).await,
        }
    }

    /// The top and bottom edges of the element `css` on the page, in CSS pixels.
    pub async fn edges(&self, css: &str) -> (f64, f64) {
        let (_, y, _, height) = self
            .find(css)
            .await
            .rectangle()
            .await
            .unwrap_or_else(|e| panic!("no rectangle for {css}: {e}"));
        (y, y + height)
    }

    /// Runs `script` in the page with `args` and answers what it returns as strings
    /// (each a finding; none when all is well).
    async fn findings(&self, script: &str, args: Vec<serde_json::Value>) -> Vec<String> {
        let found = self
            .client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("the page check could not run: {e}"));
        serde_json::from_value(found).expect("a list of findings")
    }

    /// The elements matching `css` that the sync bar covers, by their text: a part of
    /// them shown on the screen (not scrolled away) that meets the bar's rectangle,
    /// or whose centre a click would land on the bar. Also reports the screen itself
    /// reaching under the bar.
    pub async fn covered_by_sync_bar(&self, css: &str) -> Vec<String> {
        self.findings(
            r#"
            const bar = document.querySelector(".sync-bar");
            const screen = document.querySelector("[data-testid='screen']");
            if (!bar || !screen) return ["no sync bar or screen"];
            const b = bar.getBoundingClientRect();
            const s = screen.getBoundingClientRect();
            const found = [];
            if (s.bottom > b.top + 0.5) found.push(`the screen ends at ${s.bottom}, under the bar from ${b.top}`);
            for (const element of document.querySelectorAll(arguments[0])) {
              const r = element.getBoundingClientRect();
              const top = Math.max(r.top, s.top), bottom = Math.min(r.bottom, s.bottom);
              const left = Math.max(r.left, s.left), right = Math.min(r.right, s.right);
              if (bottom <= top || right <= left) continue;
              const meets = top < b.bottom && bottom > b.top && left < b.right && right > b.left;
              const hit = document.elementFromPoint((left + right) / 2, (top + bottom) / 2);
              if (meets || (hit && bar.contains(hit))) found.push(element.textContent.trim().slice(0, 60));
            }
            return found;
            "#,
            vec![serde_json::json!(css)],
        )
        .await
    }

    /// Every visible control (button, field, link, summary) that cannot be reached:
    /// once scrolled into view it lies outside the window's width, or a click at its
    /// centre lands on something else that covers it. Also reports a page wider than
    /// the window (a horizontal scroll bar).
    pub async fn unreachable_controls(&self) -> Vec<String> {
        self.findings(
            r#"
            const found = [];
            const width = document.documentElement.clientWidth;
            for (const scroller of [document.documentElement, document.querySelector("[data-testid='screen']")]) {
              if (scroller && scroller.scrollWidth > scroller.clientWidth + 1) {
                found.push(`${scroller.tagName} is ${scroller.scrollWidth}px wide in ${scroller.clientWidth}px`);
              }
            }
            const name = (e) => `${e.tagName.toLowerCase()}#${e.id} "${(e.textContent || e.getAttribute("aria-label") || e.name || "").trim().slice(0, 40)}"`;
            for (const control of document.querySelectorAll("button, input, select, textarea, a[href], summary")) {
              const first = control.getBoundingClientRect();
              if (first.width < 4 || first.height < 4 || getComputedStyle(control).visibility === "hidden") continue;
              control.scrollIntoView({ block: "nearest", inline: "nearest" });
              const r = control.getBoundingClientRect();
              if (r.left < -1 || r.right > width + 1) {
                found.push(`${name(control)} lies outside the window (${r.left}..${r.right} of ${width})`);
                continue;
              }
              const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
              const label = control.labels?.[0];
              if (hit && !control.contains(hit) && !(label && label.contains(hit))) {
                found.push(`${name(control)} is covered by ${name(hit)}`);
              }
            }
            document.querySelector("[data-testid='screen']")?.scrollTo(0, 0);
            return found;
            "#,
            vec![],
        )
        .await
    }

    /// Shows the page as with the system's text size at `percent` %: every size in
    /// the app is in rem, so the root font size is the text zoom.
    pub async fn text_zoom(&self, percent: u32) {
        self.client
            .execute(
                "document.documentElement.style.fontSize = arguments[0]",
                vec![serde_json::json!(format!("{percent}%"))],
            )
            .await
            .expect("the text size set");
    }

    /// Resizes the window to `width`×`height` and waits until the page has that width.
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("the window resized");
        let started = Instant::now();
        loop {
            let inner = self
                .client
                .execute("return window.innerWidth", vec![])
                .await
                .ok()
                .and_then(|v| v.as_u64())
                .unwrap_or_default();
            if inner <= u64::from(width) {
                return;
            }
            if started.elapsed() > PATIENCE {
                self.fail(&format!(
                    "the window never narrowed to {width}px ({inner}px)"
                ))
                .await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until nothing matches `css`.
    pub async fn wait_gone(&self, css: &str) {
        let started = Instant::now();
        while self.client.find(Locator::Css(css)).await.is_ok() {
            if started.elapsed() > PATIENCE {
                self.fail(&format!("{css} never went away")).await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
