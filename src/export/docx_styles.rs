//! Repairs the style part (`word/styles.xml`) of a DOCX package that docx-rs wrote. docx-rs
//! always writes a bare *Normal* of its own before ours, marks no style as the default, and
//! writes a style's children out of the schema's order; readers that follow the schema
//! (python-docx, validators) then cannot resolve the style of unstyled paragraphs. Every DOCX
//! we write goes through `repair_package`; it must never change any other part.

use std::io::{Read, Write};

use quick_xml::events::{BytesStart, Event};

/// The style part inside the package.
const STYLES_PART: &str = "word/styles.xml";

/// The children of `w:style` in the order ECMA-376 (CT_Style) requires.
const STYLE_CHILD_ORDER: [&str; 22] = [
    "w:name",
    "w:aliases",
    "w:basedOn",
    "w:next",
    "w:link",
    "w:autoRedefine",
    "w:hidden",
    "w:uiPriority",
    "w:semiHidden",
    "w:unhideWhenUsed",
    "w:qFormat",
    "w:locked",
    "w:personal",
    "w:personalCompose",
    "w:personalReply",
    "w:rsid",
    "w:pPr",
    "w:rPr",
    "w:tblPr",
    "w:trPr",
    "w:tcPr",
    "w:tblStylePr",
];

/// The position of a `w:style` child in the schema's sequence; unknown ones go last.
pub fn style_child_rank(name: &str) -> usize {
    STYLE_CHILD_ORDER
        .iter()
        .position(|known| *known == name)
        .unwrap_or(STYLE_CHILD_ORDER.len())
}

/// An XML element with its children, or any other event (text, declaration, comment) as read.
#[derive(Debug)]
enum Node {
    Element {
        start: BytesStart<'static>,
        children: Vec<Node>,
    },
    Other(Event<'static>),
}

impl Node {
    fn name(&self) -> Option<String> {
        match self {
            Node::Element { start, .. } => Some(start.name().as_ref().to_owned()),
            Node::Other(_) => None,
        }
    }

    fn attribute(&self, name: &str) -> Option<String> {
        let Node::Element { start, .. } = self else {
            return None;
        };
        start
            .attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .map(|a| a.value.clone().into_owned())
    }
}

fn parse(xml: &str) -> Result<Vec<Node>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    // (element, its children so far); the bottom entry collects the top level.
    let mut stack: Vec<(Option<BytesStart<'static>>, Vec<Node>)> = vec![(None, Vec::new())];
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("styles.xml: {e}"))?;
        match event {
            Event::Eof => break,
            Event::Start(start) => stack.push((Some(start.into_owned()), Vec::new())),
            Event::End(_) => {
                let Some((Some(start), children)) = stack.pop() else {
                    return Err("styles.xml: an end tag without its start".to_owned());
                };
                let Some((_, parent)) = stack.last_mut() else {
                    return Err("styles.xml: unbalanced tags".to_owned());
                };
                parent.push(Node::Element { start, children });
            }
            Event::Empty(start) => {
                let Some((_, parent)) = stack.last_mut() else {
                    return Err("styles.xml: unbalanced tags".to_owned());
                };
                parent.push(Node::Element {
                    start: start.into_owned(),
                    children: Vec::new(),
                });
            }
            other => {
                let Some((_, parent)) = stack.last_mut() else {
                    return Err("styles.xml: unbalanced tags".to_owned());
                };
                parent.push(Node::Other(other.into_owned()));
            }
        }
    }
    match stack.pop() {
        Some((None, nodes)) if stack.is_empty() => Ok(nodes),
        _ => Err("styles.xml: an element is not closed".to_owned()),
    }
}

fn write_nodes<W: Write>(
    writer: &mut quick_xml::Writer<W>,
    nodes: Vec<Node>,
) -> std::io::Result<()> {
    for node in nodes {
        match node {
            Node::Element { start, children } if children.is_empty() => {
                writer.write_event(Event::Empty(start))?;
            }
            Node::Element { start, children } => {
                let end = start.to_end().into_owned();
                writer.write_event(Event::Start(start))?;
                write_nodes(writer, children)?;
                writer.write_event(Event::End(end))?;
            }
            Node::Other(event) => writer.write_event(event)?,
        }
    }
    Ok(())
}

/// `word/styles.xml` with one definition per style id (the last one written, which is ours
/// when docx-rs adds its own), *Normal* marked as the default paragraph style, each style's
/// children in schema order, and no empty `w:rPr` inside a `w:pPr` (not allowed there).
pub fn repair_styles(xml: &str) -> Result<String, String> {
    let mut nodes = parse(xml)?;
    for node in &mut nodes {
        if let Node::Element { start, children } = node
            && start.name().as_ref() == "w:styles"
        {
            repair_style_list(children);
        }
    }
    let mut writer = quick_xml::Writer::new(Vec::new());
    write_nodes(&mut writer, nodes).map_err(|e| format!("styles.xml: {e}"))?;
    String::from_utf8(writer.into_inner()).map_err(|e| format!("styles.xml: {e}"))
}

fn repair_style_list(children: &mut Vec<Node>) {
    let id_of = |node: &Node| {
        (node.name().as_deref() == Some("w:style"))
            .then(|| node.attribute("w:styleId"))
            .flatten()
    };
    // Keep the last definition of each id, where the first one stood.
    let mut kept: Vec<Node> = Vec::with_capacity(children.len());
    for node in children.drain(..) {
        match id_of(&node) {
            Some(id) => {
                if let Some(place) = kept.iter().position(|k| id_of(k).as_deref() == Some(&id)) {
                    kept[place] = node;
                } else {
                    kept.push(node);
                }
            }
            None => kept.push(node),
        }
    }
    let has_default = kept.iter().any(|node| {
        node.attribute("w:default").as_deref() == Some("1")
            && node.attribute("w:type").as_deref() == Some("paragraph")
    });
    for node in &mut kept {
        if node.name().as_deref() == Some("w:docDefaults") {
            drop_empty_run_properties(node);
        }
        if node.name().as_deref() != Some("w:style") {
            continue;
        }
        let normal = node.attribute("w:styleId").as_deref() == Some("Normal")
            && node.attribute("w:type").as_deref() == Some("paragraph");
        drop_empty_run_properties(node);
        if let Node::Element { start, children } = node {
            if normal && !has_default {
                start.push_attribute(("w:default", "1"));
            }
            // A stable sort keeps text between children and repeated children in their order.
            children.sort_by_key(|child| child.name().map_or(0, |name| style_child_rank(&name)));
        }
    }
    *children = kept;
}

/// Removes `<w:rPr/>` with nothing in it from every `w:pPr` under `node`: a style's paragraph
/// properties (CT_PPrGeneral) have no run properties.
fn drop_empty_run_properties(node: &mut Node) {
    let Node::Element { start, children } = node else {
        return;
    };
    if start.name().as_ref() == "w:pPr" {
        children.retain(|child| {
            !matches!(child, Node::Element { start, children }
                if start.name().as_ref() == "w:rPr" && children.is_empty())
        });
    }
    for child in children {
        drop_empty_run_properties(child);
    }
}

/// The package with its style part repaired; every other part is copied as it is.
pub fn repair_package(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let name = archive
            .by_index_raw(index)
            .map_err(|e| e.to_string())?
            .name()
            .map_err(|e| e.to_string())?
            .into_owned();
        if name == STYLES_PART {
            let mut xml = String::new();
            archive
                .by_index(index)
                .map_err(|e| e.to_string())?
                .read_to_string(&mut xml)
                .map_err(|e| e.to_string())?;
            let repaired = repair_styles(&xml)?;
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            out.start_file(name, options).map_err(|e| e.to_string())?;
            out.write_all(repaired.as_bytes())
                .map_err(|e| e.to_string())?;
        } else {
            let file = archive.by_index_raw(index).map_err(|e| e.to_string())?;
            out.raw_copy_file(file).map_err(|e| e.to_string())?;
        }
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_a_docx_rs_style_list() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="x"><w:docDefaults><w:pPrDefault><w:pPr><w:rPr /></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr /><w:pPr><w:rPr /></w:pPr><w:qFormat /></w:style><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr><w:sz w:val="21" /></w:rPr><w:pPr><w:spacing w:after="100" /><w:rPr /></w:pPr><w:qFormat /></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title" /><w:rPr /><w:basedOn w:val="Normal" /></w:style></w:styles>"#;
        let repaired = repair_styles(xml);
        assert_eq!(
            repaired.as_deref(),
            Ok(
                r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="x"><w:docDefaults><w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:styleId="Normal" w:default="1"><w:name w:val="Normal" /><w:qFormat /><w:pPr><w:spacing w:after="100" /></w:pPr><w:rPr><w:sz w:val="21" /></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title" /><w:basedOn w:val="Normal" /><w:rPr /></w:style></w:styles>"#
            )
        );
    }
}
