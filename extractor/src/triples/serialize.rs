//! Quads written by Oxigraph's serialisers (oxrdfio over oxttl and oxjsonld): N-Triples and
//! Turtle (the default graph: the quads' graph names dropped), N-Quads and JSON-LD (named
//! graph kept).

use oxrdf::Quad;
use oxrdfio::{JsonLdProfileSet, RdfFormat, RdfParser, RdfSerializer};

use super::{CX, PROV};

/// An RDF serialisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    NTriples,
    Turtle,
    NQuads,
    JsonLd,
}

impl Format {
    /// The oxrdfio format, for its serializer and parser.
    pub fn rdf_format(self) -> RdfFormat {
        match self {
            Format::NTriples => RdfFormat::NTriples,
            Format::Turtle => RdfFormat::Turtle,
            Format::NQuads => RdfFormat::NQuads,
            Format::JsonLd => RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() },
        }
    }

    /// All formats.
    pub const ALL: [Format; 4] = [Format::NTriples, Format::Turtle, Format::NQuads, Format::JsonLd];

    /// The short name, also the file extension: `nt`, `ttl`, `nq`, `jsonld`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::NTriples => "nt",
            Format::Turtle => "ttl",
            Format::NQuads => "nq",
            Format::JsonLd => "jsonld",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    /// A format by its short name.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Format::ALL.into_iter().find(|f| f.extension() == name).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.extension()).collect();
            format!("unknown RDF format {name:?} (one of {})", names.join(", "))
        })
    }
}

#[derive(Debug, thiserror::Error)]
#[error("RDF serialisation failed: {0}")]
pub struct TriplesError(String);

/// The quads in `format`, written by oxrdfio. Turtle and JSON-LD group each subject's
/// statements (a stable sort, so the order within a subject stays as built); the triple
/// formats drop the graph name.
pub fn serialize(quads: &[Quad], format: Format) -> Result<String, TriplesError> {
    let err = |e: std::io::Error| TriplesError(e.to_string());
    let mut serializer = RdfSerializer::from_format(format.rdf_format());
    // No `doc:` prefix: the local names would need escaped slashes (`doc:f1\/n2`).
    for (prefix, iri) in [
        ("cx", CX),
        ("prov", PROV),
        ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ] {
        serializer = serializer.with_prefix(prefix, iri).map_err(|e| TriplesError(e.to_string()))?;
    }
    let mut ordered: Vec<&Quad> = quads.iter().collect();
    if matches!(format, Format::Turtle | Format::JsonLd) {
        ordered.sort_by_cached_key(|q| q.subject.to_string());
    }
    let mut writer = serializer.for_writer(Vec::new());
    for q in ordered {
        if format.rdf_format().supports_datasets() {
            writer.serialize_quad(q).map_err(err)?;
        } else {
            writer.serialize_triple(q.as_ref()).map_err(err)?;
        }
    }
    String::from_utf8(writer.finish().map_err(err)?).map_err(|e| TriplesError(e.to_string()))
}

/// Parses `text` in `format` back to quads (the triple formats into the default graph).
pub fn parse(text: &str, format: Format) -> Result<Vec<Quad>, TriplesError> {
    RdfParser::from_format(format.rdf_format())
        .for_slice(text.as_bytes())
        .collect::<Result<_, _>>()
        .map_err(|e| TriplesError(e.to_string()))
}
