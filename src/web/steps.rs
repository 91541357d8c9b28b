//! A step tracker's steps (an application's Terkirim → Ditinjau → Wawancara → Hasil, a card
//! request's Diminta → Diperiksa → Terbit): where each stands, and its look.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Done,
    Current,
    Ahead,
}

impl StepState {
    pub fn css_class(self) -> &'static str {
        match self {
            Self::Done => "step-done",
            Self::Current => "step-current",
            Self::Ahead => "step-ahead",
        }
    }
}
