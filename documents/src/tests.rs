//! The renderers checked from outside: `pdftotext` (poppler-utils) reads the PDF, PyPI's
//! `ofdkit` reads the OFD and `gmssl` verifies its seal signature (scripts/check-ofd.py), and the
//! QR code is decoded by `rqrr`. `make test` installs the tools and sets
//! `PORTAL_DOC_TOOLS=required`; elsewhere a missing tool skips its check visibly.

use super::*;
use std::io::Read as _;
use std::process::Command;

const URL: &str = "https://zwfw.example.gov.cn/verify/0123456789abcdef0123456789abcdef";

fn required() -> bool {
    std::env::var("PORTAL_DOC_TOOLS").as_deref() == Ok("required")
}

fn skip(what: &str) {
    assert!(
        !required(),
        "{what} is required (PORTAL_DOC_TOOLS=required)"
    );
    eprintln!("SKIPPED: {what} is not available");
}

fn font() -> Option<&'static font::Font> {
    match font::for_tests() {
        Ok(f) => Some(f),
        Err(e) => {
            skip(&e);
            None
        }
    }
}

fn key() -> sign::IssuerKey {
    sign::IssuerKey::from_secret_hex(
        "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8",
    )
    .unwrap()
}

/// The development seal of [`key`].
fn seal_of(font: &font::Font) -> IssuerSeal {
    make_seal(font, &key(), None).unwrap()
}

/// Text with all whitespace removed (extractors break lines and runs as they like).
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_has_the_certificate(text: &str, who: &str) {
    let text = squeeze(text);
    for want in [
        "王建国",
        "京1112010000001",
        "110105********0039",
        "中建示范建设有限公司",
        "市政公用工程",
        "2028-12-31",
        "仅供工程投标使用",
        "使用有效期至2027-05-26",
        "JZ20261128ABCDEF0123",
        "个人签名",
        "发证日期",
    ] {
        assert!(text.contains(want), "{who} lacks {want}: {text}");
    }
}

#[test]
fn the_pdf_is_small_deterministic_and_its_text_is_real_text() {
    let Some(font) = font() else { return };
    let doc = app::certificates::sample_document();
    let pdf = render(font, &key(), Some(&seal_of(font)), &doc, Format::Pdf, URL).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.len() <= 300 * 1024, "{} bytes", pdf.len());
    assert_eq!(
        pdf,
        render(font, &key(), Some(&seal_of(font)), &doc, Format::Pdf, URL).unwrap()
    );
    assert!(
        pdf.windows(9).any(|w| w == b"FontFile2"),
        "the font subset is embedded"
    );

    let dir = std::env::temp_dir().join(format!("portal-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("copy.pdf");
    std::fs::write(&path, &pdf).unwrap();
    // `PORTAL_DOC_SAMPLES=dir` keeps a sample of each document to look at.
    if let Ok(keep) = std::env::var("PORTAL_DOC_SAMPLES") {
        let _ = std::fs::create_dir_all(&keep);
        let _ = std::fs::write(format!("{keep}/sample.pdf"), &pdf);
        let ofd = render(font, &key(), Some(&seal_of(font)), &doc, Format::Ofd, URL).unwrap();
        let _ = std::fs::write(format!("{keep}/sample.ofd"), &ofd);
        let _ = std::fs::write(
            format!("{keep}/sample.svg"),
            preview(font, &doc, Some(URL)).unwrap(),
        );
    }
    match Command::new("pdftotext").arg(&path).arg("-").output() {
        Ok(out) if out.status.success() => {
            assert_has_the_certificate(&String::from_utf8_lossy(&out.stdout), "pdftotext");
        }
        Ok(out) => panic!("pdftotext failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => skip("pdftotext (poppler-utils)"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().to_string(), data)
        })
        .collect()
}

#[test]
fn the_ofd_has_the_standard_parts_and_its_signature_verifies() {
    let Some(font) = font() else { return };
    let doc = app::certificates::sample_document();
    let ofd = render(font, &key(), Some(&seal_of(font)), &doc, Format::Ofd, URL).unwrap();
    assert!(ofd.len() <= 300 * 1024, "{} bytes", ofd.len());
    assert_eq!(
        ofd,
        render(font, &key(), Some(&seal_of(font)), &doc, Format::Ofd, URL).unwrap()
    );
    let files = unzip(&ofd);
    let get = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| d.clone())
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    for name in [
        "OFD.xml",
        "Doc_0/Document.xml",
        "Doc_0/PublicRes.xml",
        "Doc_0/Res/font_0.ttf",
        "Doc_0/Pages/Page_0/Content.xml",
        "Doc_0/Signs/Signatures.xml",
    ] {
        get(name);
    }
    let content = String::from_utf8(get("Doc_0/Pages/Page_0/Content.xml")).unwrap();
    assert!(content.contains("<ofd:TextObject"));
    assert!(content.contains(">王建国</ofd:TextCode>"));
    assert!(ttf_parser::Face::parse(&get("Doc_0/Res/font_0.ttf"), 0).is_ok());
    assert_the_signature_verifies(font, &get);
    check_with_ofdkit_and_gmssl(&ofd);
}

/// Every file Signature.xml references has its SM3, and the GB/T 38540 seal signature is the
/// issuer's, over this Signature.xml.
fn assert_the_signature_verifies(font: &font::Font, get: &dyn Fn(&str) -> Vec<u8>) {
    let signature = String::from_utf8(get(ofd::SIGNATURE_XML)).unwrap();
    let mut checked = 0;
    for part in signature.split("<ofd:Reference FileRef=\"/").skip(1) {
        let (name, rest) = part.split_once('"').unwrap();
        let value = rest
            .split("<ofd:CheckValue>")
            .nth(1)
            .and_then(|v| v.split('<').next())
            .unwrap();
        let expected = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            sign::sm3(&get(name)),
        );
        assert_eq!(value, expected, "{name}");
        checked += 1;
    }
    assert_eq!(checked, 6, "five parts and the seal");
    assert!(signature.contains(r#"<ofd:StampAnnot ID="1" PageRef="1""#));
    assert!(
        String::from_utf8(get("Doc_0/Signs/Signatures.xml"))
            .unwrap()
            .contains(r#"Type="Seal""#)
    );
    let sealed = seal::check(&get(ofd::SIGNED_VALUE)).unwrap();
    assert_eq!(sealed.signer, key().public_hex());
    assert_eq!(sealed.data_hash, sign::sm3(signature.as_bytes()));
    assert_eq!(sealed.property, format!("/{}", ofd::SIGNATURE_XML));
    assert_eq!(sealed.seal_name, layout::SEAL_NAME);
    assert_eq!(
        get(ofd::SEAL_ESL),
        seal_of(font).seal,
        "Seal.esl is the seal inside the signature"
    );
    assert_ne!(
        sealed.data_hash,
        sign::sm3(signature.replace("Content.xml", "Content.xmL").as_bytes())
    );
}

/// Independent readers: ofdkit for the pages and text, gmssl for the seal signature
/// (scripts/check-ofd.py).
fn check_with_ofdkit_and_gmssl(ofd: &[u8]) {
    let python = std::env::var("PORTAL_OFD_PYTHON").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../target/doc-tools/bin/python"
        )
        .into()
    });
    let dir = std::env::temp_dir().join(format!("portal-ofd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("copy.ofd");
    std::fs::write(&path, ofd).unwrap();
    let checker = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/check-ofd.py");
    match Command::new(&python).arg(checker).arg(&path).output() {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.starts_with("1\n"), "one page: {text}");
            assert_has_the_certificate(&text, "ofdkit");
        }
        Ok(out) => panic!(
            "scripts/check-ofd.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => skip("ofdkit and gmssl (PyPI) in target/doc-tools"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_qr_code_decodes_to_the_verify_url() {
    let Some(font) = font() else { return };
    let layout = layout::layout(font, &app::certificates::sample_document(), Some(URL));
    let qr = layout.qr().expect("a copy has its QR code");
    // Rasterise the cells the renderers draw, 4 px each, with a quiet zone.
    let px = 4;
    let size = (qr.modules + 8) * px;
    let img = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
        let (cx, cy) = ((x / px) as isize - 4, (y / px) as isize - 4);
        let n = qr.modules as isize;
        let dark = (0..n).contains(&cx) && (0..n).contains(&cy) && qr.dark[(cy * n + cx) as usize];
        if dark { 0 } else { 255 }
    });
    let mut img = img;
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, text) = grids[0].decode().unwrap();
    assert_eq!(text, URL);
    assert_eq!(qr.text, URL);
}

#[test]
fn one_layout_feeds_the_preview_the_pdf_and_the_ofd() {
    let Some(font) = font() else { return };
    let doc = app::certificates::sample_document();
    let layout = layout::layout(font, &doc, Some(URL));
    let texts: Vec<String> = layout.texts().map(layout::Text::string).collect();
    let svg = preview(font, &doc, Some(URL)).unwrap();
    assert!(svg.contains(r#"aria-label="证照预览:中华人民共和国一级建造师注册证书""#));
    let ofd = render(font, &key(), Some(&seal_of(font)), &doc, Format::Ofd, URL).unwrap();
    let content = String::from_utf8(
        unzip(&ofd)
            .into_iter()
            .find(|(n, _)| n.ends_with("Content.xml"))
            .unwrap()
            .1,
    )
    .unwrap();
    for t in &texts {
        let escaped = svg::escape(t);
        assert!(svg.contains(&format!(">{escaped}</text>")), "svg lacks {t}");
        assert!(
            content.contains(&format!(">{escaped}</ofd:TextCode>")),
            "ofd lacks {t}"
        );
    }
    // The seal's ring of characters, the watermark and the footer are all there.
    assert!(texts.iter().filter(|t| t.chars().count() == 1).count() >= 15);
    assert!(texts.iter().any(|t| t == "仅供工程投标使用"));
    let preview_only = DocumentData { copy: None, ..doc };
    let bare = layout::layout(font, &preview_only, None);
    assert!(bare.qr().is_none());
    assert!(!bare.texts().any(|t| t.string().contains("仅供")));
    assert!(bare.texts().any(|t| t.string().contains("未加注")));
}

#[test]
fn an_operator_certificate_must_hold_the_issuer_key() {
    let (other, _) = sign::IssuerKey::generate();
    let foreign = seal::certificate(&other).unwrap();
    let Err(err) = ConfiguredIssuer::new(key(), Some(foreign)) else {
        panic!("another key's certificate was accepted");
    };
    assert!(err.contains("不匹配"), "{err}");
    assert!(ConfiguredIssuer::new(key(), Some(b"junk".to_vec())).is_err());
    let own = seal::certificate(&key()).unwrap();
    assert!(ConfiguredIssuer::new(key(), Some(own)).is_ok());
}

#[test]
fn the_purpose_reads_naturally_in_the_preview_the_pdf_and_the_ofd() {
    let Some(font) = font() else { return };
    for (typed, phrase) in [
        ("投标使用", "仅供投标使用"),
        ("办理资质申报", "仅供办理资质申报使用"),
        ("社保查询", "仅供社保查询使用"),
    ] {
        let mut doc = app::certificates::sample_document();
        if let Some(copy) = doc.copy.as_mut() {
            copy.purpose = typed.to_string();
        }
        let svg = preview(font, &doc, Some(URL)).unwrap();
        assert!(svg.contains(&format!(">{phrase}</text>")), "svg: {typed}");
        assert!(!svg.contains("使用使用"), "svg: {typed}");
        let ofd = render(font, &key(), Some(&seal_of(font)), &doc, Format::Ofd, URL).unwrap();
        let content = unzip(&ofd)
            .into_iter()
            .filter(|(n, _)| n.ends_with("Content.xml"))
            .map(|(_, d)| String::from_utf8(d).unwrap())
            .collect::<String>();
        assert!(
            content.contains(&format!(">{phrase}</ofd:TextCode>")),
            "ofd: {typed}"
        );
        assert!(!content.contains("使用使用"), "ofd: {typed}");
        let pdf = render(font, &key(), Some(&seal_of(font)), &doc, Format::Pdf, URL).unwrap();
        let path = std::env::temp_dir().join(format!(
            "portal-purpose-{}-{}.pdf",
            std::process::id(),
            phrase.chars().count()
        ));
        std::fs::write(&path, &pdf).unwrap();
        match Command::new("pdftotext").arg(&path).arg("-").output() {
            Ok(out) if out.status.success() => {
                let text = squeeze(&String::from_utf8_lossy(&out.stdout));
                assert!(text.contains(phrase), "pdf: {typed}: {text}");
                assert!(!text.contains("使用使用"), "pdf: {typed}");
            }
            Ok(out) => panic!("pdftotext failed: {}", String::from_utf8_lossy(&out.stderr)),
            Err(_) => skip("pdftotext (poppler-utils)"),
        }
        let _ = std::fs::remove_file(&path);
    }
}

#[test]
fn the_licence_identifier_and_metadata_travel_in_the_pdf_and_the_ofd() {
    let Some(font) = font() else { return };
    let doc = app::certificates::sample_document();
    let id = doc.licence_id.clone();
    assert_eq!(
        app::certificates::licence_id::LicenceId::parse(&id).map(|i| i.to_string()),
        Ok(id.clone())
    );
    let meta = metadata(&doc);
    for name in [
        "证照名称",
        "电子证照标识",
        "证照类型代码",
        "持证主体",
        "持证主体代码",
        "持证主体代码类型",
        "颁发机构",
        "颁发日期",
        "有效期起始日期",
        "有效期截止日期",
        "加注件.加注时间",
        "加注件.加注人",
        "加注件.用途",
        "加注件.有效期",
    ] {
        assert!(meta.iter().any(|m| m.name == name), "metadata lacks {name}");
    }
    let value = |name: &str| meta.iter().find(|m| m.name == name).unwrap().value.clone();
    assert_eq!(value("持证主体代码类型"), "111");
    assert_eq!(value("证照类型代码"), "11100000000013338W001");
    assert_eq!(value("加注件.用途"), "仅供工程投标使用");
    // The holder's number stays masked in the metadata as on the face of the document.
    assert_eq!(value("持证主体代码"), "110105********0039");
    // Another kind of document: its own code type (GA/T 517), and the OFD's page names it.
    let permit = app::platform::ports::documents::DocumentData {
        id_kind: app::domain::DocumentKind::HongKongMacaoPermit,
        id_number_masked: "H*****456".into(),
        ..doc.clone()
    };
    let permit_meta = metadata(&permit);
    let code_type = permit_meta.iter().find(|m| m.name == "持证主体代码类型");
    assert_eq!(code_type.map(|m| m.value.as_str()), Some("516"));
    let permit_ofd = render(
        font,
        &key(),
        Some(&seal_of(font)),
        &permit,
        Format::Ofd,
        URL,
    )
    .unwrap();
    let pages: String = unzip(&permit_ofd)
        .into_iter()
        .filter(|(n, _)| n.ends_with("Content.xml"))
        .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
        .collect();
    assert!(
        pages.contains("港澳居民来往内地通行证 H*****456") && pages.contains("证件号码"),
        "the page names the document"
    );

    let ofd = render(font, &key(), Some(&seal_of(font)), &doc, Format::Ofd, URL).unwrap();
    let entry = String::from_utf8(
        unzip(&ofd)
            .into_iter()
            .find(|(n, _)| n == "OFD.xml")
            .unwrap()
            .1,
    )
    .unwrap();
    assert!(
        entry.contains(&format!(
            r#"<ofd:CustomData Name="电子证照标识">{id}</ofd:CustomData>"#
        )),
        "{entry}"
    );
    assert!(entry.contains(r#"<ofd:CustomData Name="加注件.有效期">2027-05-26</ofd:CustomData>"#));
    // GB/T 33190's order: CustomDatas last in DocInfo.
    assert!(entry.contains("</ofd:CustomDatas></ofd:DocInfo>"));

    let pdf = render(font, &key(), Some(&seal_of(font)), &doc, Format::Pdf, URL).unwrap();
    let needle = format!("/LicenceIdentifier ({id})");
    assert!(
        pdf.windows(needle.len()).any(|w| w == needle.as_bytes()),
        "the PDF's information lacks the identifier"
    );
    let dir = std::env::temp_dir().join(format!("portal-pdf-meta-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("copy.pdf");
    std::fs::write(&path, &pdf).unwrap();
    match Command::new("pdfinfo").arg("-custom").arg(&path).output() {
        Ok(out) if out.status.success() => {
            let info = String::from_utf8_lossy(&out.stdout);
            assert!(info.contains(&id), "{info}");
            assert!(
                info.contains("AnnotationPurpose") && info.contains("仅供工程投标使用"),
                "{info}"
            );
        }
        Ok(out) => panic!("pdfinfo failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => skip("pdfinfo (poppler-utils)"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
