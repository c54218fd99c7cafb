//! The terminal adapter: anyone can try the bot with no chat account, by
//! typing lines or running a script, and watch what every person and
//! group would receive.
//!
//! Each line is one thing a person does; the line becomes a core event,
//! and the messages the core sends to console chats are printed at once.
//! A person's private chat with the bot is `@name`, a group is `#name`.
//!
//! ```text
//! # a comment; blank lines are ignored
//! time 2026-12-07 09:00       set the clock (local time in the configured
//!                             zone); `time +2d` moves it on (also +3h,
//!                             +30m); without it the real clock is used
//! @claire > /start            claire writes in her private chat with the bot
//!                             (a leading / makes a command; ! works too)
//! @claire in #paris-11 > /link_group 11
//!                             claire writes in the group #paris-11
//! @alice press claim:142      alice presses the button whose data is
//!                             claim:142, in her private chat
//! @alice in #paris-11 press claim:142
//! @alice press 2              the 2nd button (counting across rows, from 1) of
//!                             the newest message in that chat that still
//!                             shows buttons
//! @alice shares 48.8652,2.3780
//!                             a location (also with `in #group`)
//! @bob joins #paris-11        bob joins the group (`leaves` to leave it)
//! @alice                      alice becomes the current person: a line
//!                             without @ is then hers (`press 1`, or text)
//! ```
//!
//! Buttons are printed as `[1 Label · data]`; a button that opens a
//! private chat shows the command it sends, `/start PAYLOAD`. A line that
//! cannot be read is reported with its number and the session goes on.

mod buttons;
mod clock;
mod print;
mod script;
mod session;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, BufReader};

pub use self::clock::ConsoleClock;
use self::session::Session;
use crate::app::App;
use crate::core::store::StoreError;

/// Where the lines come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A person typing: a prompt before each line.
    Terminal,
    /// A script piped in.
    Stdin,
    /// A script file.
    File(PathBuf),
}

impl Input {
    /// From `--script`: a path, `-` for standard input, or nothing for the
    /// terminal, unless standard input is not one.
    pub fn from_arg(script: Option<&str>) -> Self {
        match script {
            Some("-") => Input::Stdin,
            Some(path) => Input::File(PathBuf::from(path)),
            None if std::io::stdin().is_terminal() => Input::Terminal,
            None => Input::Stdin,
        }
    }
}

/// What a session went through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Lines read, blank lines and comments included.
    pub lines: usize,
    /// Lines that could not be carried out.
    pub errors: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error("cannot read {what}")]
    Read { what: String, source: std::io::Error },
    #[error("cannot write to the terminal")]
    Write(#[source] std::io::Error),
    #[error("cannot do the jobs that fell due")]
    Jobs(#[source] crate::core::store::StoreError),
    #[error("cannot deliver the console's messages")]
    Outbox(#[source] StoreError),
    #[error("outbox message {0} is still pending after its delivery")]
    Stuck(i64),
}

/// Runs a session until the input ends. `clock` must be the clock `app`
/// was built with, so that `time` lines move the core's time.
pub async fn run(
    app: &App,
    clock: &ConsoleClock,
    input: Input,
    out: &mut (dyn Write + Send),
) -> Result<Summary, ConsoleError> {
    let (mut lines, read_error) = open(&input).await?;
    let interactive = input == Input::Terminal;
    let mut session = Session::new(app, clock);
    let scheduler = crate::scheduler::Scheduler::new(app.core().clone());
    let mut summary = Summary::default();

    // Messages left from an earlier session are shown before anything new.
    session.deliver(out).await?;
    if interactive {
        writeln!(out, "{BANNER}").map_err(ConsoleError::Write)?;
    }
    loop {
        if interactive {
            prompt(out, session.current())?;
        }
        let Some(line) = lines.next_line().await.map_err(&read_error)? else {
            break;
        };
        summary.lines += 1;
        if !interactive {
            writeln!(out, "{line}").map_err(ConsoleError::Write)?;
        }
        let written = match session.line(&line).await {
            Ok(Some(note)) => writeln!(out, "{note}"),
            Ok(None) => Ok(()),
            Err(error) => {
                summary.errors += 1;
                writeln!(out, "! line {}: {error}", summary.lines)
            }
        };
        written.map_err(ConsoleError::Write)?;
        // What fell due as the clock moved is done before the next line.
        scheduler.fire_due().await.map_err(ConsoleError::Jobs)?;
        session.deliver(out).await?;
    }
    Ok(summary)
}

type Lines = tokio::io::Lines<Box<dyn AsyncBufRead + Unpin + Send>>;

/// The input's lines, and how to report a failure to read them.
async fn open(
    input: &Input,
) -> Result<(Lines, impl Fn(std::io::Error) -> ConsoleError), ConsoleError> {
    let what = match input {
        Input::File(path) => path.display().to_string(),
        _ => "standard input".to_owned(),
    };
    let read_error = move |source| ConsoleError::Read { what: what.clone(), source };
    let reader: Box<dyn AsyncBufRead + Unpin + Send> = match input {
        Input::File(path) => {
            Box::new(BufReader::new(tokio::fs::File::open(path).await.map_err(&read_error)?))
        }
        _ => Box::new(BufReader::new(tokio::io::stdin())),
    };
    Ok((reader.lines(), read_error))
}

const BANNER: &str = "compagnie console: `@name > text` writes as name, `@name` alone makes \
                      them the current person, Ctrl-D quits. The README lists every line.";

fn prompt(out: &mut (dyn Write + Send), current: Option<&str>) -> Result<(), ConsoleError> {
    let shown = current.map_or_else(String::new, |who| format!("@{who} "));
    write!(out, "{shown}> ").and_then(|()| out.flush()).map_err(ConsoleError::Write)
}
