window.__TAURI__.core.invoke("report_ready");
