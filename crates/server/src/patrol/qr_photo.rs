//! QR codes from photos: on phones without live scanning (no BarcodeDetector), the guard takes
//! a photo of the checkpoint label and the server finds the code in it. Photos come from
//! strangers' phones, so the decoder is bounded: the encoded size, the image's dimensions and
//! the memory the decoder may take are all capped before any pixel is read.

use std::io::Cursor;

use base64::Engine;
use image::{ImageReader, Limits};

/// The largest photo accepted, once decoded from base64 (the phone downsizes before sending).
pub const MAX_PHOTO_BYTES: usize = 1536 * 1024;
/// The largest side in pixels.
const MAX_SIDE: u32 = 4096;
/// Photos are searched at most this large (a label fills much of the frame).
const SEARCH_SIDE: u32 = 1280;

/// Why no code came out of a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("the photo is larger than allowed")]
    TooLarge,
    #[error("the photo is not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("no QR code was found in the photo")]
    NoCode,
}

impl PhotoError {
    /// The stable reason code given back to the phone.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::TooLarge => "photo_too_large",
            Self::NotAnImage => "bad_photo",
            Self::NoCode => "no_qr_in_photo",
        }
    }
}

/// The bytes of a photo sent as base64, perhaps as a `data:` URL, at most
/// [`MAX_PHOTO_BYTES`] (the length is checked before decoding).
///
/// # Errors
/// Too large, or not base64.
pub fn base64_bytes(photo_b64: &str) -> Result<Vec<u8>, PhotoError> {
    let b64 = photo_b64.trim();
    let b64 = b64.split_once(";base64,").map_or(b64, |(_, data)| data);
    if b64.len() > MAX_PHOTO_BYTES.div_ceil(3) * 4 + 4 {
        return Err(PhotoError::TooLarge);
    }
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).map_err(|_| PhotoError::NotAnImage)?;
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooLarge);
    }
    Ok(bytes)
}

/// The text of the QR code in a photo sent as base64, optionally as a `data:` URL.
///
/// # Errors
/// Too large, not an image, or no readable code in it.
pub fn decode(photo_b64: &str) -> Result<String, PhotoError> {
    let bytes = base64_bytes(photo_b64)?;
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| PhotoError::NotAnImage)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(96 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|_| PhotoError::NotAnImage)?;
    let img = if img.width().max(img.height()) > SEARCH_SIDE {
        img.resize(SEARCH_SIDE, SEARCH_SIDE, image::imageops::FilterType::Triangle)
    } else {
        img
    };
    let mut prepared = rqrr::PreparedImage::prepare(img.to_luma8());
    prepared
        .detect_grids()
        .iter()
        .find_map(|g| g.decode().ok().map(|(_, content)| content))
        .filter(|c| !c.is_empty())
        .ok_or(PhotoError::NoCode)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_of(text: &str, scale: u32) -> String {
        let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let img = code.render::<image::Luma<u8>>().module_dimensions(scale, scale).build();
        let mut out = Vec::new();
        image::DynamicImage::ImageLuma8(img).write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
        base64::engine::general_purpose::STANDARD.encode(out)
    }

    #[test]
    fn the_code_of_a_label_photo_is_read() {
        let url = "https://baove.example/q/k3J9xQ2mP7vL";
        assert_eq!(decode(&png_of(url, 8)).unwrap(), url);
        assert_eq!(decode(&format!("data:image/png;base64,{}", png_of(url, 6))).unwrap(), url);
    }

    #[test]
    fn a_large_photo_is_searched_downsized() {
        assert_eq!(decode(&png_of("ma-bi-mat-lon", 60)).unwrap(), "ma-bi-mat-lon");
    }

    #[test]
    fn bad_photos_are_refused_with_a_reason() {
        assert_eq!(decode("không phải base64"), Err(PhotoError::NotAnImage));
        assert_eq!(
            decode(&base64::engine::general_purpose::STANDARD.encode(b"GIF89a....")),
            Err(PhotoError::NotAnImage)
        );
        let blank = image::GrayImage::from_pixel(200, 200, image::Luma([255]));
        let mut out = Vec::new();
        image::DynamicImage::ImageLuma8(blank).write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
        assert_eq!(decode(&base64::engine::general_purpose::STANDARD.encode(out)), Err(PhotoError::NoCode));
        let huge = "A".repeat(MAX_PHOTO_BYTES * 2);
        assert_eq!(decode(&huge), Err(PhotoError::TooLarge));
    }

    #[test]
    fn an_image_claiming_huge_dimensions_is_refused_before_decoding() {
        // A PNG header that claims 60,000 × 60,000 pixels (a decompression bomb's shape).
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];
        png.extend_from_slice(&60_000u32.to_be_bytes());
        png.extend_from_slice(&60_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(decode(&base64::engine::general_purpose::STANDARD.encode(png)), Err(PhotoError::NotAnImage));
    }
}
