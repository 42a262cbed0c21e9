//! What a User-Agent may be shown as.

/// A short, non-identifying description of a browser from its User-Agent: enough for a user
/// to recognise their own devices in 安全记录.
pub fn browser_label(user_agent: &str) -> String {
    let browser = if user_agent.contains("MicroMessenger") {
        "微信"
    } else if user_agent.contains("AlipayClient") {
        "支付宝"
    } else if user_agent.contains("Edg/") {
        "Edge"
    } else if user_agent.contains("Firefox/") {
        "Firefox"
    } else if user_agent.contains("Chrome/") || user_agent.contains("Chromium/") {
        "Chrome"
    } else if user_agent.contains("Safari/") {
        "Safari"
    } else if user_agent.is_empty() {
        "未知"
    } else {
        "其他浏览器"
    };
    let system = if user_agent.contains("Android") {
        "Android"
    } else if user_agent.contains("iPhone") || user_agent.contains("iPad") {
        "iOS"
    } else if user_agent.contains("Windows") {
        "Windows"
    } else if user_agent.contains("Mac OS X") {
        "macOS"
    } else if user_agent.contains("Linux") {
        "Linux"
    } else {
        ""
    };
    if system.is_empty() {
        browser.to_string()
    } else {
        format!("{browser} · {system}")
    }
}
