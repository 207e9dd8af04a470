//! Incident photos from the reporter's camera: base64 (perhaps a `data:` URL) JPEG, PNG or
//! WebP, bounded in number, size and dimensions; only the header is read, never the pixels.

use std::io::Cursor;

use baove_store::NewPhoto;
use image::{ImageFormat, ImageReader};

use crate::patrol::qr_photo::{PhotoError, base64_bytes};

/// At most this many photos per report.
pub const MAX_PHOTOS: usize = 4;
/// The largest side in pixels.
const MAX_SIDE: u32 = 8192;

/// A photo checked and ready to store.
///
/// # Errors
/// Too large, or not a JPEG, PNG or WebP image.
pub fn accept(photo_b64: &str) -> Result<NewPhoto, PhotoError> {
    let bytes = base64_bytes(photo_b64)?;
    let reader = ImageReader::new(Cursor::new(&bytes)).with_guessed_format().map_err(|_| PhotoError::NotAnImage)?;
    let content_type = match reader.format() {
        Some(ImageFormat::Jpeg) => "image/jpeg",
        Some(ImageFormat::Png) => "image/png",
        Some(ImageFormat::WebP) => "image/webp",
        _ => return Err(PhotoError::NotAnImage),
    };
    let (w, h) = reader.into_dimensions().map_err(|_| PhotoError::NotAnImage)?;
    if w == 0 || h == 0 || w.max(h) > MAX_SIDE {
        return Err(PhotoError::NotAnImage);
    }
    Ok(NewPhoto { id: uuid::Uuid::now_v7(), content_type: content_type.into(), data: bytes })
}

#[cfg(test)]
mod tests {
    use base64::Engine;

    use super::*;

    fn png(w: u32, h: u32) -> String {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
        format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(out))
    }

    #[test]
    fn a_camera_photo_is_kept_with_its_type() {
        let p = accept(&png(64, 48)).unwrap();
        assert_eq!(p.content_type, "image/png");
        assert!(p.data.starts_with(b"\x89PNG"));
    }

    #[test]
    fn text_script_and_oversized_uploads_are_refused() {
        assert_eq!(accept("PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==").unwrap_err(), PhotoError::NotAnImage);
        assert_eq!(accept("không phải ảnh").unwrap_err(), PhotoError::NotAnImage);
        let huge = "A".repeat(8 * 1024 * 1024);
        assert_eq!(accept(&huge).unwrap_err(), PhotoError::TooLarge);
    }
}
