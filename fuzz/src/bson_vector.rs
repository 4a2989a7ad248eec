//! Fuzz targets of the BSON binary vectors (subtype 9) and the Decimal128
//! numeric conversions of webdyn-files.

use crate::Target;
use webdyn_files::bson::vector::{Dtype, Vector, VectorRepr};
use webdyn_files::bson::{Decimal128, RawDocument, Writer, spec::subtype};

/// The vector and Decimal128 conversion targets.
pub const TARGETS: &[Target] = &[("bson_vector", vector), ("bson_decimal_conv", decimal_conv)];

/// Any bytes as a vector payload: parsing never panics; an accepted payload
/// re-emits to itself, from the view and from the decoded typed values; the
/// same bytes inside a BSON document give the same verdict; a refusal
/// points inside the payload.
pub fn vector(data: &[u8]) {
    let parsed = Vector::parse(data);
    let mut buf = vec![0u8; data.len() + 32];
    let mut w = Writer::new(&mut buf);
    w.start_document().expect("room");
    w.append_binary("v", subtype::VECTOR, data).expect("room");
    w.end_document().expect("room");
    let doc = RawDocument::parse(w.into_bytes().expect("closed")).expect("own document");
    let bin = doc.get_binary("v").expect("valid").expect("present");
    assert_eq!(bin.vector(), parsed, "document and bare payload disagree");

    let v = match parsed {
        Ok(v) => v,
        Err(e) => {
            assert!(e.offset <= data.len(), "error offset past the payload");
            return;
        }
    };
    let mut out = vec![0u8; v.encoded_len()];
    assert_eq!(v.emit(&mut out).expect("sized"), data.len());
    assert_eq!(out, data, "accepted payload is not canonical");
    assert_eq!(
        Some(v.dtype()),
        data.first().copied().and_then(Dtype::from_u8)
    );
    let again = match v {
        Vector::Int8(x) => {
            let vals: Vec<i8> = x.iter().collect();
            assert_eq!(vals.len(), x.len());
            VectorRepr::Int8(&vals).to_vec()
        }
        Vector::Float32(x) => {
            let vals: Vec<f32> = x.iter().collect();
            assert_eq!(vals.len(), x.len());
            VectorRepr::Float32(&vals).to_vec()
        }
        Vector::PackedBit(x) => {
            assert_eq!(x.iter().count(), x.len());
            assert_eq!(x.iter().rev().count(), x.len());
            VectorRepr::PackedBit {
                bytes: x.as_bytes(),
                padding: x.padding(),
            }
            .to_vec()
        }
    };
    assert_eq!(again.expect("decoded values encode"), data);
}

/// Any 16 bytes as a Decimal128: integer conversions are exact (an
/// integer read back from Decimal128 converts back to the same integer)
/// and `to_f64` agrees with Rust's parser of the canonical text.
pub fn decimal_conv(data: &[u8]) {
    let Some(bytes) = data.get(..16).and_then(|b| <[u8; 16]>::try_from(b).ok()) else {
        return;
    };
    let d = Decimal128::from_bytes(bytes);
    let text = d.to_string();
    if let Some(i) = d.to_i128() {
        let back = Decimal128::from_i128(i).expect("an integer read from Decimal128 fits");
        assert_eq!(back.to_i128(), Some(i));
        assert_eq!(d.to_i64(), i64::try_from(i).ok());
    } else {
        assert_eq!(d.to_i64(), None);
    }
    let reference: f64 = text.parse().expect("canonical text is a float");
    let f = d.to_f64();
    assert!(
        f.to_bits() == reference.to_bits() || (f.is_nan() && reference.is_nan()),
        "{text}: {f:e} vs {reference:e}"
    );
}
