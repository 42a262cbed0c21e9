//! The phone's camera, where the browser offers it: a preview in a `<video>` and QR detection
//! with the browser's `BarcodeDetector` (Chromium on Android, Safari 17+). Where either is
//! missing the mini-program's pages simply do without (the scanner falls back to pasting the
//! code; the face step to the provider's own capture). Browser only.

use crate::platform::lang::Text;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys::{Array, Function, Object, Reflect};
use web_sys::{HtmlVideoElement, MediaStream, MediaStreamConstraints};

/// Whether this browser can scan QR codes itself.
pub fn can_scan() -> bool {
    web_sys::window()
        .and_then(|w| Reflect::get(&w, &JsValue::from_str("BarcodeDetector")).ok())
        .is_some_and(|v| v.is_function())
        && has_camera()
}

pub fn has_camera() -> bool {
    web_sys::window()
        .and_then(|w| w.navigator().media_devices().ok())
        .is_some()
}

const NO_CAMERA_API: Text = Text::new(
    "该浏览器不支持调用摄像头",
    "This browser cannot use the camera",
);
const CANNOT_OPEN: Text = Text::new("无法打开摄像头", "The camera could not be opened");
const NOT_ALLOWED: Text = Text::new(
    "未获得摄像头权限,或设备没有摄像头",
    "The camera was not allowed, or this device has none",
);

/// Starts the camera (`user` or `environment`) into `video`; why not, in both languages.
pub async fn start(video: &HtmlVideoElement, facing: &str) -> Result<MediaStream, Text> {
    let devices = web_sys::window()
        .ok_or(NO_CAMERA_API)?
        .navigator()
        .media_devices()
        .map_err(|_| NO_CAMERA_API)?;
    let constraints = MediaStreamConstraints::new();
    let video_constraints = Object::new();
    let _ = Reflect::set(&video_constraints, &"facingMode".into(), &facing.into());
    constraints.set_video(&video_constraints);
    constraints.set_audio(&JsValue::FALSE);
    let promise = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(|_| CANNOT_OPEN)?;
    let stream: MediaStream = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| NOT_ALLOWED)?
        .unchecked_into();
    video.set_src_object(Some(&stream));
    let _ = video.play();
    Ok(stream)
}

pub fn stop(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
            track.stop();
        }
    }
}

/// The text of the first QR code in `source` — a video's current frame, or an image file
/// (a `Blob`) — if any.
pub async fn detect_qr(source: &JsValue) -> Option<String> {
    let window = web_sys::window()?;
    let ctor: Function = Reflect::get(&window, &"BarcodeDetector".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let options = Object::new();
    let _ = Reflect::set(&options, &"formats".into(), &Array::of1(&"qr_code".into()));
    let detector = Reflect::construct(&ctor, &Array::of1(&options)).ok()?;
    let detect: Function = Reflect::get(&detector, &"detect".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let promise = detect
        .call1(&detector, source)
        .ok()?
        .dyn_into::<web_sys::js_sys::Promise>()
        .ok()?;
    let found = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    let first = Array::from(&found).get(0);
    if first.is_undefined() {
        return None;
    }
    Reflect::get(&first, &"rawValue".into()).ok()?.as_string()
}

/// Waits `ms` milliseconds (between two looks at the camera).
pub async fn sleep(ms: i32) {
    let promise = web_sys::js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The first file chosen in an `<input type="file">` (the event's target), as a `Blob`.
pub fn chosen_file(target: &JsValue) -> Option<JsValue> {
    let files = Reflect::get(target, &"files".into()).ok()?;
    let file = Reflect::get(&files, &0.into()).ok()?;
    (!file.is_undefined() && !file.is_null()).then_some(file)
}
