//! PP-OCR text recognition (CTC): a line crop scaled to 48 pixels high goes in, a probability
//! per character class for every 8 pixels of width comes out; the best class per step, repeats
//! collapsed and blanks dropped, is the text. Pure functions, tested without the model.

use image::RgbImage;
use image::imageops::FilterType;
use ndarray::{Array4, ArrayView3};

/// Height of the recogniser's input.
pub const HEIGHT: u32 = 48;
/// Narrowest batch width (the model was trained on 320-pixel lines).
const MIN_WIDTH: u32 = 320;
/// Input pixels per output step.
const STEP: f32 = 8.0;

/// A batch of crops for the recogniser: each scaled to 48 pixels high keeping its aspect,
/// normalised to [-1, 1] in BGR order and padded with zeros on the right to the widest. Also
/// returns each crop's scaled width.
pub fn batch_input(crops: &[&RgbImage]) -> (Array4<f32>, Vec<u32>) {
    let ratio = |c: &RgbImage| c.width() as f32 / c.height().max(1) as f32;
    let widest = crops.iter().map(|c| ratio(c)).fold(MIN_WIDTH as f32 / HEIGHT as f32, f32::max);
    let batch_width = (HEIGHT as f32 * widest).ceil() as u32;
    let mut input = Array4::<f32>::zeros((crops.len(), 3, HEIGHT as usize, batch_width as usize));
    let mut widths = Vec::with_capacity(crops.len());
    for (n, crop) in crops.iter().enumerate() {
        let w = ((HEIGHT as f32 * ratio(crop)).ceil() as u32).clamp(1, batch_width);
        let resized = image::imageops::resize(*crop, w, HEIGHT, FilterType::Triangle);
        for (x, y, p) in resized.enumerate_pixels() {
            for (c, &v) in [p[2], p[1], p[0]].iter().enumerate() {
                input[[n, c, y as usize, x as usize]] = (f32::from(v) / 255.0 - 0.5) / 0.5;
            }
        }
        widths.push(w);
    }
    (input, widths)
}

/// A character the recogniser read and where: the output step it peaked at.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadChar {
    pub ch: char,
    pub step: usize,
    pub prob: f32,
}

/// Greedy CTC decoding of one line's output (`steps` × `classes`): class 0 is the blank,
/// 1..=n the dictionary, and the last class a space.
pub fn decode(probs: ArrayView3<f32>, line: usize, dictionary: &[char]) -> Vec<ReadChar> {
    let (steps, classes) = (probs.shape()[1], probs.shape()[2]);
    let mut out = Vec::new();
    let mut previous = 0usize;
    for step in 0..steps {
        let (mut best, mut best_prob) = (0usize, f32::MIN);
        for class in 0..classes {
            let p = probs[[line, step, class]];
            if p > best_prob {
                (best, best_prob) = (class, p);
            }
        }
        if best != 0 && best != previous {
            let ch = dictionary.get(best - 1).copied().unwrap_or(' ');
            out.push(ReadChar { ch, step, prob: best_prob });
        }
        previous = best;
    }
    out
}

/// The line's mean character probability (0 for nothing read).
pub fn line_score(chars: &[ReadChar]) -> f32 {
    if chars.is_empty() { 0.0 } else { chars.iter().map(|c| c.prob).sum::<f32>() / chars.len() as f32 }
}

/// The words of a decoded line: runs of characters between spaces, each with its extent along
/// the line as fractions (0..1) of the crop's width (`scaled_width` is the crop's width in the
/// recogniser's input), kept within the line's ink (`ink`, fractions), and its mean
/// probability.
pub fn words(chars: &[ReadChar], scaled_width: u32, ink: (f32, f32)) -> Vec<(String, f32, f32, f32)> {
    let mut out = Vec::new();
    let width = scaled_width.max(1) as f32;
    let along = |step: usize, end: bool| {
        // A character's peak sits near its middle; a letter at 48 pixels high is about 20 wide.
        let x = step as f32 * STEP + if end { 12.0 } else { -4.0 };
        (x / width).clamp(ink.0, ink.1)
    };
    for run in chars.split(|c| c.ch == ' ').filter(|r| !r.is_empty()) {
        let text: String = run.iter().map(|c| c.ch).collect();
        let prob = line_score(run);
        out.push((text, along(run[0].step, false), along(run[run.len() - 1].step, true), prob));
    }
    out
}

/// The model's dictionary from its metadata (`character`, one entry per line), with the space
/// the reference appends as the last class.
pub fn dictionary(metadata: &str) -> Vec<char> {
    let mut chars: Vec<char> = metadata.split('\n').map(|s| s.chars().next().unwrap_or(' ')).collect();
    chars.push(' ');
    chars
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array3;

    fn output(classes_per_step: &[usize], classes: usize) -> Array3<f32> {
        let mut a = Array3::<f32>::zeros((1, classes_per_step.len(), classes));
        for (s, &c) in classes_per_step.iter().enumerate() {
            a[[0, s, c]] = 0.9;
        }
        a
    }

    #[test]
    fn repeats_collapse_and_blanks_split_them() {
        let dict = dictionary("a\nb\n是");
        // a a _ a b space 是 是
        let probs = output(&[1, 1, 0, 1, 2, 4, 3, 3], 5);
        let chars = decode(probs.view(), 0, &dict);
        let text: String = chars.iter().map(|c| c.ch).collect();
        assert_eq!(text, "aab 是");
        assert_eq!(chars[1].step, 3);
        assert!((line_score(&chars) - 0.9).abs() < 1e-6);
        let w = words(&chars, 64, (0.0, 1.0));
        assert_eq!(w.iter().map(|w| w.0.as_str()).collect::<Vec<_>>(), ["aab", "是"]);
        assert!(w[0].1 == 0.0 && w[0].2 < w[1].1 + 0.2, "{w:?}");
    }

    #[test]
    fn crops_keep_their_aspect_in_one_batch() {
        let wide = RgbImage::new(960, 48);
        let short = RgbImage::new(96, 48);
        let (input, widths) = batch_input(&[&wide, &short]);
        assert_eq!(input.shape(), &[2, 3, 48, 960]);
        assert_eq!(widths, [960, 96]);
        assert_eq!(input[[1, 0, 10, 500]], 0.0, "padding is zero");
        assert_eq!(input[[1, 0, 10, 50]], -1.0, "black is -1");
        let (narrow, _) = batch_input(&[&short]);
        assert_eq!(narrow.shape()[3], 320, "at least 320 wide");
    }
}
