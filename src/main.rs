//! The compagnie command: the terminal console, the chat adapters, and
//! the operator's tools (migrations, configuration check).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use compagnie::app::App;
use compagnie::config::{self, Config};
use compagnie::console::{self, ConsoleClock, Input};
use compagnie::core::clock::SystemClock;
use compagnie::core::model::LatLon;
use compagnie::geography::Geography;
use compagnie::i18n::Localizer;
use tokio::sync::watch;
use tracing_subscriber::EnvFilter;

/// A chat bot that runs a volunteer accompaniment service for older people.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// The configuration file [default: bot-config/compagnie.toml if it
    /// exists, else the built-in defaults]
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Talk to the bot in the terminal, as anyone, in any chat
    Console {
        /// Read the lines from FILE, or from standard input with `-`
        #[arg(long, value_name = "FILE")]
        script: Option<String>,
    },
    /// Run the configured chat adapters
    Run,
    /// Create or update the database's tables, then exit
    Migrate,
    /// Check the configuration and print what it sets up
    CheckConfig,
    /// List the jobs waiting to be done and those that failed
    Jobs {
        /// How many to list at most, soonest first
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Say which neighbourhood holds a place and which groups serve it
    Locate {
        /// The point as `LAT,LON` (such as `48.8575,2.3800`), or an address
        /// looked up with the configured address service
        place: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    install_tracing();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(error) => {
            // One line with every cause: "cannot open the store: cannot
            // connect to the database: …".
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Console { script } => run_console(config, script.as_deref()).await,
        Command::Run => run_adapters(config).await,
        Command::Migrate => migrate(&config).await,
        Command::CheckConfig => check_config(&config),
        Command::Jobs { limit } => list_jobs(&config, limit).await,
        Command::Locate { place } => locate(&config, &place).await,
    }
}

/// Logs go to standard error, filtered by `COMPAGNIE_LOG`, so that the
/// console's transcript on standard output stays clean. By default the
/// Matrix client's log of every failed request is left out: it includes
/// expected ones (a 404 for a room's unset state), and the bot logs the
/// failures that matter itself.
fn install_tracing() {
    let filter = EnvFilter::try_from_env("COMPAGNIE_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,matrix_sdk::http_client=off"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

async fn run_console(config: Config, script: Option<&str>) -> anyhow::Result<ExitCode> {
    let clock = Arc::new(ConsoleClock::default());
    let app = App::build(config, clock.clone()).await?;
    let input = Input::from_arg(script);
    let scripted = input != Input::Terminal;
    let summary = console::run(&app, &clock, input, &mut std::io::stdout()).await?;
    if scripted && summary.errors > 0 {
        eprintln!("{} of {} lines could not be carried out", summary.errors, summary.lines);
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Serves every configured platform side by side until interrupted; the
/// first to fail stops the others.
async fn run_adapters(config: Config) -> anyhow::Result<ExitCode> {
    if config.telegram.is_none() && config.matrix.is_none() {
        return Ok(no_adapter());
    }
    let (telegram, matrix) = (config.telegram.clone(), config.matrix.clone());
    let app = App::build(config, Arc::new(SystemClock)).await?;
    let (stop, shutdown) = watch::channel(false);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            tracing::info!("stopping");
            let _ = stop.send(true);
        }
    });
    let on_telegram = async {
        if let Some(settings) = &telegram {
            compagnie::telegram::serve(app.clone(), settings, shutdown.clone()).await?;
        }
        anyhow::Ok(())
    };
    let on_matrix = async {
        if let Some(settings) = &matrix {
            compagnie::matrix::serve(app.clone(), settings, shutdown.clone()).await?;
        }
        anyhow::Ok(())
    };
    // The scheduler stops with the adapters; if one of them fails, the
    // process ends and the jobs on their way wait out their lease.
    let scheduler = compagnie::scheduler::Scheduler::new(app.core().clone());
    let scheduling = tokio::spawn(scheduler.run(shutdown.clone()));
    tokio::try_join!(on_telegram, on_matrix)?;
    scheduling.await?;
    Ok(ExitCode::SUCCESS)
}

/// Says why `run` has nothing to run, and how to fix it, with an exit
/// code a supervisor will not retry.
fn no_adapter() -> ExitCode {
    eprintln!(
        "no chat platform is configured: add a [telegram] section (token in {}) or a \
         [matrix] section (password in {}, store passphrase in {}) to {}, as in \
         bot-config/example.toml; `compagnie console` needs neither",
        config::ENV_TELEGRAM_TOKEN,
        config::ENV_MATRIX_PASSWORD,
        config::ENV_MATRIX_STORE_PASSPHRASE,
        config::DEFAULT_PATH,
    );
    ExitCode::from(2)
}

async fn migrate(config: &Config) -> anyhow::Result<ExitCode> {
    let url = &config.database_url;
    compagnie::storage::connect(url.expose()).await.context("cannot migrate the database")?;
    println!("database {} is up to date", url.redacted());
    Ok(ExitCode::SUCCESS)
}

/// One line a job: when it is due (local time), what it is, for which
/// outing, and for failed ones, the last error.
async fn list_jobs(config: &Config, limit: i64) -> anyhow::Result<ExitCode> {
    let store = compagnie::storage::connect(config.database_url.expose()).await?;
    let jobs = store.jobs(limit).await.context("cannot read the jobs")?;
    if jobs.is_empty() {
        println!("no job is waiting or failed");
    }
    let zone = config.policy.timezone;
    for record in jobs {
        let job = &record.job;
        let due = job.due.with_timezone(&zone).format("%Y-%m-%d %H:%M %Z");
        let offer = job.offer.map_or_else(|| "-".to_owned(), |number| format!("#{number}"));
        let error = record.last_error.as_deref().unwrap_or("");
        println!(
            "{:>6}  {due}  {:<8} {:<16} {offer:<6} tries {}  {error}",
            job.id.0,
            record.status,
            job.kind.as_str(),
            job.attempts
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// What a coordinator checks a configuration with: the neighbourhood
/// that holds a place and the groups linked to it. Exit status 1 when no
/// neighbourhood or address matches, 2 when the address service cannot
/// tell (unreachable, or several candidates with low scores).
async fn locate(config: &Config, place: &str) -> anyhow::Result<ExitCode> {
    let hoods = &config.neighbourhoods;
    let geography = Geography::load(&hoods.file, &hoods.feature_keys())?;
    let at = match LatLon::parse(place) {
        Some(at) => at,
        None => match look_up(config, place).await? {
            Ok(at) => at,
            Err(code) => return Ok(code),
        },
    };
    println!("point: {:.5}, {:.5}", at.lat, at.lon);
    let Some(hood) = geography.locate(at) else {
        println!(
            "no configured neighbourhood holds this point (the {} of {})",
            geography.all().len(),
            hoods.file.display()
        );
        return Ok(ExitCode::from(1));
    };
    println!("neighbourhood: {} ({})", hood.id, hood.name);
    let store = compagnie::storage::connect(config.database_url.expose()).await?;
    let mut tx = store.begin().await.context("cannot read the groups")?;
    let groups = tx.groups().await.context("cannot read the groups")?;
    drop(tx);
    let serving: Vec<_> =
        groups.iter().filter(|group| group.neighbourhoods.contains(&hood.id)).collect();
    if serving.is_empty() {
        println!("groups: none yet (link one with /link_group {})", hood.id);
    }
    for group in serving {
        println!("group: {} ({})", group.title, group.chat);
    }
    Ok(ExitCode::SUCCESS)
}

/// An address's point, or the exit status once what stops it is said.
async fn look_up(config: &Config, address: &str) -> anyhow::Result<Result<LatLon, ExitCode>> {
    use compagnie::geocoder::{AddressApi, Found, Geocoder, decide};
    let service = AddressApi::new(&config.geocoder)?;
    let candidates = match service.search(address).await {
        Ok(candidates) => candidates,
        Err(error) => {
            println!("{error}: give the point as LAT,LON (such as 48.8575,2.3800)");
            return Ok(Err(ExitCode::from(2)));
        }
    };
    match decide(candidates, config.geocoder.min_score) {
        Found::Point(best) => {
            println!("address: {} (score {:.2})", best.label, best.score);
            Ok(Ok(best.at))
        }
        Found::Ask(candidates) => {
            println!("no match is sure enough; did you mean one of these?");
            for candidate in candidates {
                let at = candidate.at;
                let score = candidate.score;
                println!("  {} (score {score:.2}): {:.5},{:.5}", candidate.label, at.lat, at.lon);
            }
            Ok(Err(ExitCode::from(2)))
        }
        Found::Nothing => {
            println!("no address matches `{address}`");
            Ok(Err(ExitCode::from(1)))
        }
    }
}

fn check_config(config: &Config) -> anyhow::Result<ExitCode> {
    let hoods = &config.neighbourhoods;
    let geography = Geography::load(&hoods.file, &hoods.feature_keys())?;
    Localizer::new(config.policy.timezone)?;
    let policy = &config.policy;
    let file =
        config.file.as_ref().map_or("none, built-in defaults".into(), |f| f.display().to_string());
    let coordinators: Vec<String> =
        config.coordinators.iter().map(|a| format!("{}:{}", a.platform.as_str(), a.user)).collect();
    let adapters = config.adapters();

    println!("configuration file: {file}");
    println!("database: {} ({})", config.database_url.scheme(), config.database_url.redacted());
    println!("time zone: {}; default language: {}", policy.timezone, policy.default_lang.as_str());
    println!("neighbourhoods: {} from {}", geography.all().len(), hoods.file.display());
    println!(
        "policy: outings up to {} h, {} per elder per week, late release under {} h, \
         public grid {} m, default radius {} km",
        policy.max_duration_min / 60,
        policy.outings_per_elder_per_week,
        policy.late_release_hours,
        policy.public_grid_m,
        policy.default_radius_km,
    );
    println!("delivered messages kept {} days", policy.retention_days);
    let geocoder = &config.geocoder;
    println!(
        "address service: {} ({} s at most, matches from score {})",
        geocoder.base_url,
        geocoder.timeout.as_secs(),
        geocoder.min_score
    );
    for kind in compagnie::core::job::JobKind::RECURRING {
        let when = policy.schedules.of(kind).map_or("off".to_owned(), ToString::to_string);
        println!("{}: {when}", kind.as_str());
    }
    println!("coordinators: {}", coordinators.join(", "));
    let adapters =
        if adapters.is_empty() { "none (console only)".into() } else { adapters.join(", ") };
    println!("chat platforms: {adapters}");
    Ok(ExitCode::SUCCESS)
}
