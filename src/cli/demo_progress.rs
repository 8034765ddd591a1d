//! What the console shows while the demo city is built (`velodesk`, `velodesk demo`): one
//! line with how far the build is, in percent of the whole, and what it is doing, in the
//! console's language. The build reports its stages (`sim::city::build`); their shares of
//! the whole are those a release build measured on the default city (3,000 riders, two
//! days of history): registering the riders a tenth, riding the history nearly all the
//! rest, placing the bikes and opening the city a moment.

use crate::tui::text::Lang;

/// The share of the build (in percent) that registering the riders takes; the history
/// takes the rest up to [`HISTORY_ENDS`], placing the bikes and opening the city the last.
const RIDERS_SHARE: u64 = 10;
const HISTORY_ENDS: u64 = 98;

/// How far a build is, in percent, from its stage and that stage's count (`None`: not
/// started).
pub fn percent(at: Option<(&str, u64, u64)>) -> u64 {
    let Some((stage, done, total)) = at else {
        return 0;
    };
    let part = |from: u64, to: u64| from + (to - from) * done.min(total) / total.max(1);
    if stage == "riders" {
        part(0, RIDERS_SHARE)
    } else if stage.starts_with("history") {
        part(RIDERS_SHARE, HISTORY_ENDS)
    } else {
        HISTORY_ENDS
    }
}

/// The progress screen's lines: what is happening, how far, and the key that quits.
/// `building` is false when an existing demo database is only opened.
pub fn text(lang: Lang, building: bool, riders: u32, at: Option<(&str, u64, u64)>) -> String {
    if !building {
        return match lang {
            Lang::En => "Opening the demo city…\n\nq quits",
            Lang::Ru => "Открывается демо-город…\n\nq — выход",
            Lang::Kk => "Демо-қала ашылуда…\n\nq — шығу",
        }
        .to_string();
    }
    let pct = percent(at);
    let doing = match (lang, at.map(|(stage, _, _)| stage)) {
        (_, None) => "",
        (Lang::En, Some("riders")) => "registering the riders",
        (Lang::Ru, Some("riders")) => "регистрируются пользователи",
        (Lang::Kk, Some("riders")) => "пайдаланушылар тіркелуде",
        (Lang::En, Some(_)) => "riding two days of history",
        (Lang::Ru, Some(_)) => "проезжаются два дня истории",
        (Lang::Kk, Some(_)) => "екі күндік тарих жүріп өтілуде",
    };
    let (title, about, quit) = match lang {
        Lang::En => (
            "Building the demo city of Almaty…",
            format!("190 stations, {riders} riders: the console shows the city when it is ready"),
            "q quits",
        ),
        Lang::Ru => (
            "Строится демо-город Алматы…",
            format!(
                "190 станций, {riders} пользователей: консоль покажет город, когда он будет готов"
            ),
            "q — выход",
        ),
        Lang::Kk => (
            "Алматы демо-қаласы құрылуда…",
            format!("190 бекет, {riders} пайдаланушы: қала дайын болғанда консоль оны көрсетеді"),
            "q — шығу",
        ),
    };
    format!("{title} {pct}%\n{doing}\n\n{about}\n{quit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_percentage_runs_through_the_stages_and_never_past_100() {
        assert_eq!(percent(None), 0);
        assert_eq!(percent(Some(("riders", 0, 3000))), 0);
        assert_eq!(percent(Some(("riders", 3000, 3000))), RIDERS_SHARE);
        let history = "history (simulated minutes)";
        assert_eq!(percent(Some((history, 0, 2880))), RIDERS_SHARE);
        assert_eq!(percent(Some((history, 2880, 2880))), HISTORY_ENDS);
        assert_eq!(percent(Some((history, 9999, 2880))), HISTORY_ENDS);
        assert_eq!(percent(Some(("riders", 5, 0))), 0);
        assert!(
            text(Lang::En, true, 3000, Some((history, 1440, 2880)))
                .starts_with("Building the demo city of Almaty… 54%\nriding two days of history")
        );
    }
}
