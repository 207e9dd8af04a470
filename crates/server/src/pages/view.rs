//! View models shared by every page: the page shell, tables, sections and forms. Pages are
//! built from these few shapes so the templates stay few and the look stays consistent.

use askama::Template;

use crate::i18n::Lang;

/// A link or button target with its text.
#[derive(Debug, Clone)]
pub struct Link {
    pub href: String,
    pub label: String,
}

impl Link {
    pub fn new(href: impl Into<String>, label: impl Into<String>) -> Self {
        Self { href: href.into(), label: label.into() }
    }
}

/// One table cell; `tone` is "", "ok", "warn" or "bad".
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    pub tone: &'static str,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Self {
        Self { text: text.into(), ..Self::default() }
    }

    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Self {
        Self { text: text.into(), href: Some(href.into()), tone: "" }
    }

    #[must_use]
    pub fn tone(mut self, tone: &'static str) -> Self {
        self.tone = tone;
        self
    }
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A block of a page: a table, a list of links, a form or a note, under a title.
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub title: String,
    pub note: Option<String>,
    pub tone: &'static str,
    pub table: Option<Table>,
    pub links: Vec<Link>,
    pub form: Option<FormView>,
    /// A chart (SVG) built on the server with every text escaped.
    pub figure: Option<String>,
}

/// One form field. `kind` is the input type ("text", "textarea", "select", "checkbox"…).
#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<(String, String)>,
    pub required: bool,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct FormView {
    pub action: String,
    pub csrf: String,
    pub fields: Vec<Field>,
    pub submit: String,
    pub error: Option<String>,
}

/// A search box above a list.
#[derive(Debug, Clone)]
pub struct SearchBox {
    pub action: String,
    /// The search words; `None`: no text box, only the filters.
    pub query: Option<String>,
    pub filters: Vec<Field>,
}

/// The shell around every signed-in page.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub user: String,
    pub role: String,
    pub nav: Vec<Link>,
    pub csrf: String,
    pub lang_href: String,
    pub lang_label: &'static str,
}

/// The one page template for signed-in pages.
#[derive(Template)]
#[template(path = "page.html")]
pub struct Page {
    pub l: Lang,
    pub chrome: Chrome,
    pub title: String,
    pub subtitle: Option<String>,
    pub facts: Vec<(String, String)>,
    pub actions: Vec<Link>,
    pub search: Option<SearchBox>,
    pub sections: Vec<Section>,
    /// Show the scanner (camera, offline queue, sync state) of the guard's page.
    pub scanner: bool,
    /// A live console: new alerts arrive over SSE.
    pub live: bool,
    /// The alarm console: alarms after this stream number arrive over SSE.
    pub live_alarms: Option<i64>,
    /// The incident list: changes after this stream number arrive over SSE.
    pub live_incidents: Option<i64>,
    /// The report form: photos and the offline queue (incidents.js).
    pub incident_form: bool,
    /// A figure (SVG) built on the server with every text escaped.
    pub figure: Option<String>,
}

impl Page {
    pub fn new(l: Lang, chrome: Chrome, title: impl Into<String>) -> Self {
        Self {
            l,
            chrome,
            title: title.into(),
            subtitle: None,
            facts: vec![],
            actions: vec![],
            search: None,
            sections: vec![],
            scanner: false,
            live: false,
            live_alarms: None,
            live_incidents: None,
            incident_form: false,
            figure: None,
        }
    }
}
