//! Every string the console shows, in English, Russian and Kazakh. One table: a text that
//! lacks a language does not compile. Templates take `{}` placeholders, filled in order.

/// The console's language (`--lang`, the configuration, `LANG`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Ru,
    Kk,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.to_ascii_lowercase();
        match s.get(..2)? {
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            "kk" | "kz" => Some(Lang::Kk),
            _ => None,
        }
    }

    /// From a `LANG`-style locale (`ru_RU.UTF-8`); English when unknown.
    pub fn from_locale(locale: Option<&str>) -> Lang {
        locale.and_then(Lang::parse).unwrap_or_default()
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Kk => "kk",
        }
    }
}

macro_rules! texts {
    ($($name:ident => $en:literal, $ru:literal, $kk:literal;)*) => {
        /// A text of the console.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum T { $($name),* }
        impl T {
            pub const ALL: &'static [T] = &[$(T::$name),*];
            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((T::$name, Lang::En) => $en, (T::$name, Lang::Ru) => $ru, (T::$name, Lang::Kk) => $kk,)*
                }
            }
        }
    };
}

texts! {
    // Views
    Stations => "Stations", "Станции", "Бекеттер";
    Map => "Map", "Карта", "Карта";
    Riders => "Riders", "Клиенты", "Клиенттер";
    Rebalance => "Rebalance", "Перебалансировка", "Теңгерім";
    Alerts => "Alerts", "Тревоги", "Дабылдар";
    Audit => "Audit", "Аудит", "Аудит";
    Station => "Station", "Станция", "Бекет";
    Rider => "Rider", "Клиент", "Клиент";
    Help => "Help", "Справка", "Анықтама";
    // Header
    Live => "LIVE", "В СЕТИ", "ТІКЕЛЕЙ";
    Stale => "STALE", "УСТАРЕЛО", "ЕСКІРГЕН";
    Replicated => "REPLICA", "РЕПЛИКА", "РЕПЛИКА";
    NotReplicated => "NO REPLICA", "НЕТ РЕПЛИКИ", "РЕПЛИКА ЖОҚ";
    Updated => "updated {} ago", "обновлено {} назад", "{} бұрын жаңартылды";
    ReadOnly => "READ-ONLY", "ТОЛЬКО ЧТЕНИЕ", "ТЕК ОҚУ";
    DemoNote => "Demo city: a fresh simulated system (nothing is real)", "Демо-город: новая симулированная система (всё ненастоящее)", "Демо-қала: жаңа симуляцияланған жүйе (бәрі жалған)";
    TooSmall => "The console needs at least 80×24 (now {}×{}). Enlarge the window.", "Консоли нужно не меньше 80×24 (сейчас {}×{}). Увеличьте окно.", "Консольге кемінде 80×24 керек (қазір {}×{}). Терезені үлкейтіңіз.";
    Loading => "Loading…", "Загрузка…", "Жүктелуде…";
    // Station columns and words
    Code => "Code", "Код", "Код";
    Name => "Name", "Название", "Атауы";
    Bikes => "Bikes", "Велосипеды", "Велосипедтер";
    FreeDocks => "Free", "Свободно", "Бос";
    OutOfService => "Out of svc", "Не работ.", "Істен шық.";
    CableLocked => "Cable", "Трос", "Трос";
    Fill => "Fill", "Заполн.", "Толуы";
    Status => "Status", "Статус", "Күйі";
    LastChange => "Changed", "Изменено", "Өзгерді";
    Empty => "EMPTY", "ПУСТО", "БОС";
    Full => "FULL", "ПОЛНАЯ", "ТОЛЫ";
    Low => "LOW", "МАЛО", "АЗ";
    Ok => "OK", "НОРМА", "ҚАЛЫПТЫ";
    Inactive => "INACTIVE", "НЕ РАБОТАЕТ", "ЖАБЫҚ";
    Filter => "Filter", "Фильтр", "Сүзгі";
    Dock => "Dock", "Док", "Док";
    Bike => "Bike", "Велосипед", "Велосипед";
    State => "State", "Состояние", "Күйі";
    Docks => "Docks", "Доки", "Доктар";
    InService => "in service", "работает", "жұмыс істейді";
    NotInService => "OUT OF SERVICE", "НЕ РАБОТАЕТ", "ІСТЕН ШЫҚҚАН";
    Free => "free", "свободен", "бос";
    Faulty => "FAULTY", "НЕИСПРАВЕН", "АҚАУЛЫ";
    CableLockedHere => "Cable-locked here", "На тросе здесь", "Мұнда троспен";
    Address => "Address", "Адрес", "Мекенжай";
    Target => "Target fill", "Целевое заполнение", "Мақсатты толу";
    // Riders
    SearchHint => "Type an ID, phone, name, e-mail, card or bike number", "Введите ID, телефон, имя, e-mail, карту или номер велосипеда", "ID, телефон, аты, e-mail, карта немесе велосипед нөмірін теріңіз";
    Searching => "searching…", "поиск…", "іздеу…";
    NoHits => "Nothing found", "Ничего не найдено", "Ештеңе табылмады";
    NoHitsWholePhone => "Nothing found: your role finds a rider by the whole phone number only", "Ничего не найдено: ваша роль ищет клиента только по полному номеру телефона", "Ештеңе табылмады: сіздің рөліңіз клиентті тек толық телефон нөмірі бойынша табады";
    Matched => "Matched", "Совпало", "Сәйкес";
    Balance => "Balance", "Баланс", "Баланс";
    Phone => "Phone", "Телефон", "Телефон";
    Email => "E-mail", "E-mail", "E-mail";
    Document => "Document", "Документ", "Құжат";
    Born => "Born", "Дата рождения", "Туған күні";
    Card => "Card", "Карта", "Карта";
    Concession => "Concession", "Льгота", "Жеңілдік";
    Pass => "Pass", "Абонемент", "Абонемент";
    NoPass => "no valid pass", "нет действующего абонемента", "жарамды абонемент жоқ";
    ValidUntil => "valid until {}", "действует до {}", "{} дейін жарамды";
    Accrued => "Accrued", "Начислено", "Есептелген";
    Available => "Available", "Доступно", "Қолжетімді";
    Bonus => "Bonus", "Бонус", "Бонус";
    Deposit => "Deposit", "Депозит", "Депозит";
    Debt => "Debt", "Долг", "Қарыз";
    Access => "Access", "Доступ", "Кіру";
    AccessOk => "may rent", "может брать велосипед", "велосипед ала алады";
    Blocked => "BLOCKED", "ЗАБЛОКИРОВАН", "БҰҒАТТАЛҒАН";
    Restricted => "RESTRICTED", "ОГРАНИЧЕН", "ШЕКТЕЛГЕН";
    OpenRental => "Open rental", "Текущая аренда", "Ағымдағы жалдау";
    NoRental => "no open rental", "нет аренды", "жалдау жоқ";
    RentalLine => "bike {} from station {} · {} · price so far {}", "велосипед {} со станции {} · {} · пока {}", "велосипед {} {} бекеттен · {} · әзірге {}";
    Overdue => "OVERDUE", "ПРОСРОЧЕНО", "МЕРЗІМІ ӨТКЕН";
    LockErrorAt => "LOCK ERROR at station {} ({})", "ОШИБКА ЗАМКА на станции {} ({})", "{} бекетте ҚҰЛЫП ҚАТЕСІ ({})";
    Trips => "Trips", "Поездки", "Сапарлар";
    Ledger => "Ledger", "Счёт", "Шот";
    Messages => "Messages", "Сообщения", "Хабарламалар";
    Fines => "Fines", "Штрафы", "Айыппұлдар";
    Masked => "masked — press v to reveal (audited)", "скрыто — v чтобы показать (с аудитом)", "жасырын — көрсету үшін v (аудитпен)";
    When => "When", "Когда", "Қашан";
    Kind => "Kind", "Вид", "Түрі";
    Amount => "Amount", "Сумма", "Сома";
    Running => "Running", "Остаток", "Қалдық";
    Reason => "Reason", "Причина", "Себебі";
    Settles => "settles", "погашает", "өтейді";
    From => "From", "Откуда", "Қайдан";
    To => "To", "Куда", "Қайда";
    Duration => "Duration", "Длит.", "Ұзақт.";
    Charge => "Charge", "Сумма", "Төлем";
    // Rebalance
    Deviation => "Off target", "Отклонение", "Ауытқу";
    Moves => "Suggested moves", "Предлагаемые перевозки", "Ұсынылған тасымалдар";
    MoveLine => "take {} from {} to {} ({} km)", "взять {} с {} на {} ({} км)", "{} дана {} бекеттен {} бекетке ({} км)";
    Van => "In the van", "В фургоне", "Фургонда";
    Repair => "In repair", "В ремонте", "Жөндеуде";
    NoMoves => "Every station is near its target fill", "Все станции близки к целевому заполнению", "Барлық бекет мақсатқа жақын";
    PlanTitle => "Van plan", "План фургонов", "Фургон жоспары";
    VanNo => "Van {}", "Фургон {}", "{}-фургон";
    VanCol => "Van", "Фург.", "Фург.";
    Arrive => "Arrive", "Приб.", "Келу";
    StopDo => "Do", "Действие", "Әрекет";
    LoadAfter => "Load", "Груз", "Жүк";
    TakeN => "take {}", "взять {}", "{} алу";
    LeaveN => "leave {}", "оставить {}", "{} қалдыру";
    VanHolds => "{} of {} bikes", "{} из {} велосипедов", "{}/{} велосипед";
    AtDepot => "at the depot", "в депо", "депода";
    AtStation => "last stop {}", "последняя остановка {}", "соңғы аялдама {}";
    Driver => "driver {}", "водитель {}", "жүргізуші {}";
    Avoided => "Expected failures avoided: {} in the next {} h · {} km", "Ожидаемо предотвращено отказов: {} за {} ч · {} км", "Алдын алынған болжамды бас тартулар: {} ({} сағ) · {} км";
    PlanAt => "computed {} · again by {} or after a stop", "рассчитан {} · снова до {} или после остановки", "есептелді {} · қайта {} дейін не аялдамадан кейін";
    AtRisk => "At risk within the hour", "Под угрозой в ближайший час", "Алдағы сағатта қауіпте";
    RiskLine => "{} {} for ~{} riders · {}", "{} {} для ~{} чел. · {}", "{} {} ~{} адамға · {}";
    NoRisk => "No station is at risk within the hour", "В ближайший час станций под угрозой нет", "Алдағы сағатта қауіпті бекет жоқ";
    NoStops => "Nothing to move: the stations hold what the next hours need", "Перевозить нечего: станциям хватает на ближайшие часы", "Тасымал қажет емес: бекеттерге жетеді";
    PlanWaiting => "Computing the plan…", "План рассчитывается…", "Жоспар есептелуде…";
    PlanDenied => "The van plan is for depot staff, supervisors and admins", "План фургонов — для депо, супервизоров и администраторов", "Фургон жоспары депо, супервайзер және әкімшіге арналған";
    VanStopTitle => "Van stop (depot)", "Остановка фургона (депо)", "Фургон аялдамасы (депо)";
    FieldRepair => "To repair (faulty)", "В ремонт (неисправные)", "Жөндеуге (ақаулы)";
    FieldLeave => "Leave (from the van)", "Оставить (из фургона)", "Қалдыру (фургоннан)";
    FieldTake => "Take (into the van)", "Взять (в фургон)", "Алу (фургонға)";
    StopPlanned => "Planned: {}", "По плану: {}", "Жоспар бойынша: {}";
    StationBikesLine => "Station {} {}: bikes {}", "Станция {} {}: велосипеды {}", "{} {} бекеті: велосипедтер {}";
    PreviewStop => "Van {}: {} → {} bikes · station {}: {} → {} bikes", "Фургон {}: {} → {} велосипедов · станция {}: {} → {}", "{}-фургон: {} → {} велосипед · {} бекеті: {} → {}";
    PreviewRepair => "{} to repair: {}", "{} в ремонт: {}", "{} жөндеуге: {}";
    DoneStop => "van {} at station {}: took {}, left {}, {} to repair; it holds {}", "фургон {} на станции {}: взято {}, оставлено {}, в ремонт {}; в нём {}", "{}-фургон {} бекетте: {} алынды, {} қалдырылды, {} жөндеуге; ішінде {}";
    NeedBikes => "{}: bike numbers separated by spaces", "{}: номера велосипедов через пробел", "{}: велосипед нөмірлері бос орынмен";
    NoStopHere => "Pick a stop of your van's route", "Выберите остановку маршрута своего фургона", "Өз фургоныңыздың аялдамасын таңдаңыз";
    // Alerts and audit
    Since => "Since", "С", "Бастап";
    What => "What", "Что", "Не";
    NoAlerts => "No alerts: all is well", "Тревог нет", "Дабыл жоқ";
    Staff => "Staff", "Сотрудник", "Қызметкер";
    Action => "Action", "Действие", "Әрекет";
    Details => "Details", "Подробности", "Толығырақ";
    AuditFilterHint => "filter: staff:NAME rider:ID action:NAME", "фильтр: staff:ИМЯ rider:ID action:ДЕЙСТВИЕ", "сүзгі: staff:АТЫ rider:ID action:ӘРЕКЕТ";
    AuditNotAllowed => "Your role may not read the audit log", "Ваша роль не позволяет читать аудит", "Сіздің рөліңіз аудитті оқи алмайды";
    // Dialogs
    Cancel => "Cancel", "Отмена", "Болдырмау";
    Confirm => "Confirm", "Подтвердить", "Растау";
    Close => "Close", "Закрыть", "Жабу";
    Working => "Working…", "Выполняется…", "Орындалуда…";
    CheckFirst => "Check and confirm:", "Проверьте и подтвердите:", "Тексеріп, растаңыз:";
    CableLockTitle => "Cable lock (R14)", "Блокировка тросом (R14)", "Троспен құлыптау (R14)";
    Waiting => "Waiting for the rider to lock the bike with the cable… {}", "Ждём, пока клиент закрепит велосипед тросом… {}", "Клиент велосипедті троспен құлыптағанын күтудеміз… {}";
    Locked => "Locked", "Заблокирован", "Құлыпталды";
    RentalEnded => "The rental ended: {}", "Аренда завершена: {}", "Жалдау аяқталды: {}";
    CableTimeout => "No lock yet. The permission stays valid until {}: you may close this; the rental ends when the rider locks (see Alerts). If the rider cannot, end the rental by hand.", "Замок ещё не закрыт. Разрешение действует до {}: окно можно закрыть, аренда завершится, когда клиент закрепит трос (см. Тревоги). Если не получается — завершите аренду вручную.", "Әлі құлыпталмады. Рұқсат {} дейін жарамды: терезені жабуға болады, клиент құлыптағанда жалдау аяқталады (Дабылдарды қараңыз). Болмаса, жалдауды қолмен аяқтаңыз.";
    UnlockTitle => "Manual unlock", "Ручная разблокировка", "Қолмен ашу";
    EndRentalTitle => "End a stuck rental", "Завершить зависшую аренду", "Тұрып қалған жалдауды аяқтау";
    FineTitle => "Enter a fine", "Назначить штраф", "Айыппұл салу";
    PayTitle => "Take a payment", "Принять оплату", "Төлем қабылдау";
    SellPassTitle => "Sell a pass", "Продать абонемент", "Абонемент сату";
    DepositTitle => "Hold a deposit", "Принять депозит", "Депозит алу";
    RefundTitle => "Refund and end the contract", "Возврат и расторжение договора", "Қайтару және шартты бұзу";
    ClaimTitle => "Credit a claim", "Зачесть претензию", "Шағымды есепке алу";
    BlockTitle => "Block access", "Заблокировать доступ", "Кіруді бұғаттау";
    NoteTitle => "A note on the rider", "Заметка о клиенте", "Клиент туралы жазба";
    UnblockTitle => "Unblock access", "Разблокировать доступ", "Бұғаттан шығару";
    PinTitle => "Reset the PIN", "Сбросить PIN", "PIN қалпына келтіру";
    LostCardTitle => "Block a lost card", "Заблокировать утерянную карту", "Жоғалған картаны бұғаттау";
    RevealTitle => "Reveal personal data", "Показать персональные данные", "Жеке деректерді көрсету";
    ApproveTitle => "Approve the fine (D14)", "Утвердить штраф (D14)", "Айыппұлды бекіту (D14)";
    ReleaseTitle => "Service release (depot)", "Сервисное извлечение (депо)", "Сервистік шығару (депо)";
    ServiceDockTitle => "Dock a bike from the van", "Поставить велосипед из фургона", "Фургоннан велосипед қою";
    RepairTitle => "Send a bike to repair", "Отправить велосипед в ремонт", "Велосипедті жөндеуге жіберу";
    DockOutTitle => "Put a free dock out of service", "Вывести свободный док из работы", "Бос докты істен шығару";
    DockInTitle => "Put docks back in service", "Вернуть доки в работу", "Доктарды жұмысқа қайтару";
    FieldStation => "Station", "Станция", "Бекет";
    FieldBike => "Bike", "Велосипед", "Велосипед";
    FieldAt => "Real end time (local)", "Фактическое время окончания (местное)", "Нақты аяқталу уақыты (жергілікті)";
    FieldReason => "Reason", "Причина", "Себебі";
    FieldKind => "Kind", "Вид", "Түрі";
    FieldAmount => "Amount, ₸", "Сумма, ₸", "Сомасы, ₸";
    FieldRental => "Rental", "Аренда", "Жалдау";
    FieldNote => "Note", "Примечание", "Ескертпе";
    FieldMethod => "Method", "Способ", "Тәсіл";
    FieldPass => "Pass", "Абонемент", "Абонемент";
    FieldPin => "New PIN (4 digits)", "Новый PIN (4 цифры)", "Жаңа PIN (4 цифр)";
    FieldDock => "Dock number (empty: the first one out)", "Номер дока (пусто: первый неработающий)", "Док нөмірі (бос: істен шыққан біріншісі)";
    NoRentalChoice => "none", "нет", "жоқ";
    PreviewBalance => "balance {} → {}", "баланс {} → {}", "баланс {} → {}";
    PreviewRestrict => "the rider becomes RESTRICTED (R18)", "клиент будет ОГРАНИЧЕН (R18)", "клиент ШЕКТЕЛЕДІ (R18)";
    PreviewApproval => "above {}: waits for a supervisor's approval (D14)", "больше {}: ждёт утверждения супервайзера (D14)", "{} асады: супервайзердің бекітуін күтеді (D14)";
    PreviewRefund => "pays out the balance and the deposit, forfeits the bonus, ends passes and blocks the rider", "выплачивает баланс и депозит, бонус сгорает, абонементы закрываются, клиент блокируется", "балансты және депозитті төлейді, бонус күйеді, абонементтер жабылады, клиент бұғатталады";
    PreviewTotal => "price {}", "стоимость {}", "бағасы {}";
    PiIncluded => "{} min trip (up to {} min, included)", "поездка {} мин (до {} мин, включено)", "{} мин сапар ({} минутқа дейін, кіреді)";
    PiBracket => "{} min trip ({}–{} min bracket)", "поездка {} мин (интервал {}–{} мин)", "{} мин сапар ({}–{} мин аралығы)";
    PiTail => "{} min trip (past {} min: +{} per started {} min)", "поездка {} мин (после {} мин: +{} за каждые начатые {} мин)", "{} мин сапар ({} минуттан кейін: +{}, басталған әр {} мин үшін)";
    PiAllInclusive => "{} min on the pass «{}»", "{} мин по абонементу «{}»", "{} мин, «{}» абонементімен";
    PiOveruse => "kept {} day(s) past the pass window × {}", "сверх срока абонемента: {} дн. × {}", "абонемент мерзімінен тыс: {} күн × {}";
    PiLateFine => "late return: {} day(s) past {} h × {}", "просрочка возврата: {} дн. после {} ч × {}", "кеш қайтару: {} күн ({} сағаттан кейін) × {}";
    DoneCable => "cable lock authorised for rider {} at station {}", "блокировка тросом разрешена клиенту {} на станции {}", "{} клиентке {} бекетте троспен құлыптауға рұқсат берілді";
    DoneUnlock => "bike {} released for rider {}: 30 s to pull it out", "велосипед {} разблокирован для клиента {}: 30 с, чтобы вынуть", "{} велосипеді {} клиентке ашылды: шығаруға 30 с";
    DoneEnd => "rental of rider {} ended at station {}: {}", "аренда клиента {} завершена на станции {}: {}", "{} клиенттің жалдауы {} бекетте аяқталды: {}";
    DoneFine => "{} fine {} posted for rider {}", "штраф {} {} начислен клиенту {}", "{} айыппұлы {} клиентке {} салынды";
    DoneFineWaits => "{} fine {} for rider {} waits for a supervisor (D14)", "штраф {} {} клиенту {} ждёт утверждения супервайзера (D14)", "{} айыппұлы {} ({} клиент) супервайзердің бекітуін күтеді (D14)";
    DonePay => "{} taken ({}) for rider {}", "принято {} ({}) от клиента {}", "{} қабылданды ({}), клиент {}";
    DonePass => "{} sold to rider {} for {}", "{} продан клиенту {} за {}", "{} клиентке {} {} сатылды";
    DoneDeposit => "deposit {} held for rider {}", "депозит {} принят от клиента {}", "{} депозит {} клиенттен алынды";
    DoneRefund => "rider {} refunded {}; contract ended", "клиенту {} возвращено {}; договор расторгнут", "{} клиентке {} қайтарылды; шарт бұзылды";
    DoneClaim => "claim {} credited to rider {}", "претензия {} зачтена клиенту {}", "{} шағымы {} клиентке есептелді";
    DoneBlock => "rider {} blocked", "клиент {} заблокирован", "{} клиент бұғатталды";
    DoneNote => "note on rider {} kept", "заметка о клиенте {} сохранена", "{} клиент туралы жазба сақталды";
    DoneUnblock => "rider {} unblocked", "клиент {} разблокирован", "{} клиент бұғаттан шығарылды";
    DonePin => "PIN of rider {} reset", "PIN клиента {} сброшен", "{} клиенттің PIN коды жаңартылды";
    DoneCard => "card of rider {} blocked", "карта клиента {} заблокирована", "{} клиенттің картасы бұғатталды";
    DoneReveal => "personal data of rider {} shown (audited)", "персональные данные клиента {} показаны (с аудитом)", "{} клиенттің жеке деректері көрсетілді (аудитпен)";
    DoneApprove => "fine {} of rider {} approved and posted", "штраф {} клиента {} утверждён и начислен", "{} айыппұл ({} клиент) бекітіліп, салынды";
    DoneRelease => "bike {} released into the van", "велосипед {} извлечён в фургон", "{} велосипед фургонға алынды";
    DoneDock => "bike {} docked at station {}", "велосипед {} поставлен на станцию {}", "{} велосипед {} бекетке қойылды";
    DoneRepair => "bike {} sent to repair", "велосипед {} отправлен в ремонт", "{} велосипед жөндеуге жіберілді";
    DoneDockOut => "dock {} of station {} out of service", "док {} станции {} выведен из работы", "{} док ({} бекет) істен шығарылды";
    DoneDockIn => "dock {} of station {} back in service", "док {} станции {} возвращён в работу", "{} док ({} бекет) жұмысқа қайтарылды";
    FormKeys => "Tab/↑↓ field · ←→ choice · Enter preview · Esc close", "Tab/↑↓ поле · ←→ выбор · Enter просмотр · Esc закрыть", "Tab/↑↓ өріс · ←→ таңдау · Enter алдын ала қарау · Esc жабу";
    Done => "Done: {}", "Готово: {}", "Дайын: {}";
    NotAllowed => "Your role may not do that", "Ваша роль не позволяет это", "Сіздің рөліңізге рұқсат жоқ";
    NeedRider => "Open a rider first", "Сначала откройте клиента", "Алдымен клиентті ашыңыз";
    NeedNumber => "{}: a whole number, please", "{}: нужно целое число", "{}: бүтін сан керек";
    NeedPin => "{}: four digits", "{}: четыре цифры", "{}: төрт цифр";
    AmountBound => "{}: from 1 to {} ₸ (D30)", "{}: от 1 до {} ₸ (D30)", "{}: 1-ден {} ₸-ге дейін (D30)";
    NeedText => "{}: required", "{}: обязательно", "{}: міндетті";
    BadTime => "{}: use YYYY-MM-DD HH:MM", "{}: формат ГГГГ-ММ-ДД ЧЧ:ММ", "{}: ЖЖЖЖ-АА-КК СС:ММ пішімі";
    UnknownCommand => "Unknown command: {} (try :help)", "Неизвестная команда: {} (см. :help)", "Белгісіз команда: {} (:help қараңыз)";
    PaletteHint => ":rider ID :station CODE :call PHONE :dispute :handover :cases :stations :map :alerts :audit :theme :q", ":rider ID :station КОД :call ТЕЛЕФОН :dispute :handover :cases :stations :map :alerts :audit :theme :q", ":rider ID :station КОД :call ТЕЛЕФОН :dispute :handover :cases :stations :map :alerts :audit :theme :q";
    Keys => "Keys", "Клавиши", "Пернелер";
    LoggedOut => "the session ended (expired or revoked): restart the console to log in again", "сеанс завершён (истёк или отозван): перезапустите консоль, чтобы войти снова", "сеанс аяқталды (мерзімі өтті немесе қайтарылды): қайта кіру үшін консольді қайта іске қосыңыз";
    Disconnected => "Disconnected from the system: {}", "Нет связи с системой: {}", "Жүйемен байланыс жоқ: {}";
    // Key descriptions
    KQuit => "quit", "выход", "шығу";
    KHelp => "help", "справка", "анықтама";
    KPalette => "command", "команда", "команда";
    KFilter => "filter / search", "фильтр / поиск", "сүзгі / іздеу";
    KNextView => "next view", "след. вид", "келесі көрініс";
    KPrevView => "previous view", "пред. вид", "алдыңғы көрініс";
    KViews => "go to view 1–7", "вид 1–7", "1–7 көрініс";
    KMove => "move", "перемещение", "жылжу";
    KPage => "page up / down", "страница вверх / вниз", "бет жоғары / төмен";
    KOpen => "open", "открыть", "ашу";
    KBack => "back", "назад", "артқа";
    KSort => "sort by next column", "сортировать по след. столбцу", "келесі баған бойынша сұрыптау";
    KSortRev => "reverse the sort", "обратная сортировка", "кері сұрыптау";
    KZoomIn => "zoom in", "приблизить", "жақындату";
    KZoomOut => "zoom out", "отдалить", "алыстату";
    KPan => "pan the map", "сдвинуть карту", "картаны жылжыту";
    KTheme => "dark / light theme", "тёмная / светлая тема", "қараңғы / ашық тақырып";
    KRefresh => "refresh", "обновить", "жаңарту";
    KCableLock => "cable lock", "трос", "трос";
    KUnlock => "manual unlock", "ручная разблокировка", "қолмен ашу";
    KEndRental => "end rental", "завершить аренду", "жалдауды аяқтау";
    KFine => "fine", "штраф", "айыппұл";
    KPay => "payment", "оплата", "төлем";
    KSellPass => "sell pass", "абонемент", "абонемент";
    KDeposit => "deposit", "депозит", "депозит";
    KRefund => "refund", "возврат", "қайтару";
    KClaim => "credit claim", "претензия", "шағым";
    KBlock => "block", "блокировать", "бұғаттау";
    KNote => "note", "заметка", "жазба";
    KUnblock => "unblock", "разблокировать", "бұғаттан шығару";
    KPin => "reset PIN", "сброс PIN", "PIN";
    KLostCard => "lost card", "утеря карты", "жоғалған карта";
    KReveal => "reveal data", "показать данные", "деректерді көрсету";
    KApprove => "approve fine", "утвердить штраф", "айыппұлды бекіту";
    KRelease => "service release", "извлечь (сервис)", "сервистік шығару";
    KVanStop => "do the stop (take / leave / repair)", "выполнить остановку", "аялдаманы орындау";
    KServiceDock => "dock from van", "поставить из фургона", "фургоннан қою";
    KRepair => "to repair", "в ремонт", "жөндеуге";
    KDockOut => "dock out of service", "док из работы", "докты істен шығару";
    KDockIn => "docks back in service", "доки в работу", "доктарды қайтару";
    KTakeAlert => "take the alert (I am on it)", "взять оповещение (занимаюсь)", "хабарламаны алу (айналысамын)";
    AlertTaken => "The alert is yours: every desk sees who has it", "Оповещение ваше: все видят, кто им занимается", "Хабарлама сіздікі: барлығы кім айналысатынын көреді";
    TakenBy => "{} is on it", "занимается {}", "{} айналысуда";
    GroupGeneral => "General", "Общие", "Жалпы";
    GroupText => "Typing in a field", "Ввод в поле", "Өріске жазу";
    LiftsWith => "a payment of {} lifts it (R18)", "платёж {} снимет ограничение (R18)", "{} төлем шектеуді алады (R18)";
    LiftsByHand => "imposed by hand: a supervisor lifts it (D12)", "наложено вручную: снимает супервайзер (D12)", "қолмен қойылған: супервайзер алады (D12)";
    QueuedPass => "then {} from {}", "затем {} с {}", "содан кейін {} {} бастап";
    LedgerScroll => "↑↓ scroll · {}–{} of {}", "↑↓ прокрутка · {}–{} из {}", "↑↓ айналдыру · {}–{} / {}";
    // Ledger entry kinds (D9)
    EkPayment => "payment", "платёж", "төлем";
    EkPassFee => "pass fee", "абонемент", "абонемент";
    EkTripCharge => "trip", "поездка", "сапар";
    EkFine => "fine", "штраф", "айыппұл";
    EkBonusCredit => "bonus", "бонус", "бонус";
    EkBonusForfeit => "bonus forfeited", "бонус сгорел", "бонус күйді";
    EkDepositHold => "deposit held", "залог внесён", "кепіл салынды";
    EkDepositCapture => "from deposit", "из залога", "кепілден";
    EkDepositRelease => "deposit released", "залог возвращён", "кепіл қайтарылды";
    EkRefund => "refund", "возврат", "қайтару";
    EkClaimCredit => "claim credited", "претензия", "шағым өтелді";
    EkCorrection => "correction", "исправление", "түзету";
    EkCardFee => "card fee", "карта", "карта құны";
    // Fine kinds and states
    FkLate => "late return", "просрочка", "кешігу";
    FkDamage => "damage", "повреждение", "зақым";
    FkAccident => "accident", "ДТП", "апат";
    FkNoExplanation => "no explanation", "без объяснения", "түсініктемесіз";
    FkParts => "parts", "запчасти", "бөлшектер";
    FkAccessSharing => "access sharing", "передача доступа", "қолжетімділікті беру";
    FsPending => "PENDING", "ОЖИДАЕТ", "КҮТУДЕ";
    FsPosted => "posted", "проведён", "өткізілді";
    FsRejected => "rejected", "отклонён", "қабылданбады";
    // Passes by their scenario names (the tariff's label otherwise)
    PassMonthly => "Monthly", "Месячный", "Айлық";
    PassQuarterly => "Quarterly", "Квартальный", "Тоқсандық";
    PassSeasonal => "Seasonal", "Сезонный", "Маусымдық";
    PassYearly => "Yearly", "Годовой", "Жылдық";
    PassDay1 => "24 hours", "24 часа", "24 сағат";
    PassDay3 => "72 hours", "72 часа", "72 сағат";
    PassDay7 => "168 hours", "168 часов", "168 сағат";
    // Refusals, as sentences
    RfRestricted => "The rider may not rent now (restricted or blocked)", "Клиенту сейчас нельзя брать велосипед (ограничен или заблокирован)", "Клиентке қазір велосипед алуға болмайды (шектелген не бұғатталған)";
    RfLowBalance => "Not enough money on the account", "На счёте недостаточно денег", "Шотта ақша жеткіліксіз";
    RfNoPass => "The rider has no valid pass", "У клиента нет действующего абонемента", "Клиентте жарамды абонемент жоқ";
    RfAlreadyRenting => "The rider already has a bike", "У клиента уже есть велосипед", "Клиентте велосипед бар";
    RfBikeUnavailable => "That bike cannot be taken", "Этот велосипед взять нельзя", "Бұл велосипедті алуға болмайды";
    RfBadPin => "The PIN was refused", "ПИН-код не принят", "ПИН-код қабылданбады";
    RfUnderAge => "Riders must be 16 or older", "Клиенту должно быть не меньше 16 лет", "Клиент кемінде 16 жаста болуы керек";
    RfNotResident => "That pass is for residents of Kazakhstan", "Этот абонемент — для резидентов Казахстана", "Бұл абонемент Қазақстан резиденттеріне арналған";
    RfNotEligible => "The rider is not eligible for that", "Клиенту это не положено", "Клиентке бұл тиесілі емес";
    RfNoDeposit => "The deposit is not held in full", "Залог внесён не полностью", "Кепіл толық салынбаған";
    RfStationFull => "The station has no free dock", "На станции нет свободного места", "Бекетте бос орын жоқ";
    RfNotRenting => "The rider has no rental open", "У клиента нет открытой аренды", "Клиентте ашық жалдау жоқ";
    RfNotAuthorised => "There is no operator's permission for that", "Нет разрешения оператора", "Оператордың рұқсаты жоқ";
    RfOutOfSeason => "The rental season does not allow it", "Не в сезон проката", "Жалдау маусымы емес";
    RfForbidden => "Your role may not do that", "Ваша роль этого не позволяет", "Сіздің рөліңізге бұған рұқсат жоқ";
    RfNotFound => "Not found", "Не найдено", "Табылмады";
    RfInvalid => "That cannot be accepted", "Это нельзя принять", "Мұны қабылдауға болмайды";
    RfConflict => "Someone changed it at the same time — nothing was saved, try again", "Кто-то изменил это одновременно — ничего не сохранено, повторите", "Біреу бір мезгілде өзгертті — ештеңе сақталмады, қайталаңыз";
    RfUnavailable => "The system cannot be reached", "Система недоступна", "Жүйеге қосылу мүмкін емес";
    RfInternal => "The system failed — nothing was saved", "Сбой системы — ничего не сохранено", "Жүйе ақауы — ештеңе сақталмады";
    MapFiltered => " · filter “{}”: {} of {} stations", " · фильтр «{}»: {} из {} станций", " · сүзгі «{}»: {} / {} станция";
    KLeaveText => "leave the field", "выйти из поля", "өрістен шығу";
    KClearText => "clear the field", "очистить поле", "өрісті тазалау";
    KDeleteWord => "delete a word", "удалить слово", "сөзді өшіру";
    GroupMove => "Moving", "Перемещение", "Жылжу";
    GroupRider => "Rider (desk)", "Клиент (касса)", "Клиент (касса)";
    GroupDepot => "Depot", "Депо", "Депо";
    // Why a procedure cannot be done now (shown in the hints, the help and the status line)
    DisNoRental => "no rental open", "нет открытой аренды", "ашық жалдау жоқ";
    DisRenting => "a rental is open", "аренда открыта", "жалдау ашық";
    DisNoPendingFine => "no fine waits for approval", "нет штрафа на утверждении", "бекітуді күткен айыппұл жоқ";
    DisBlocked => "already blocked", "уже заблокирован", "бұғатталған";
    DisNotBlocked => "not blocked", "не заблокирован", "бұғатталмаған";
    DisRestricted => "already restricted", "уже ограничен", "шектелген";
    DisNotRestricted => "not restricted", "не ограничен", "шектелмеген";
    DisNoCard => "no card to block", "нет карты для блокировки", "бұғаттайтын карта жоқ";
    DisNoEntries => "the ledger is empty", "счёт пуст", "шот бос";
    DisStationFull => "the station has no free dock", "на станции нет свободного дока", "бекетте бос док жоқ";
    DisDockOut => "the dock is already out of service", "док уже не работает", "док істен шыққан";
    DisDockHasBike => "a bike is in the dock", "в доке велосипед", "докта велосипед тұр";
    DisAllInService => "every dock is in service", "все доки работают", "барлық док жұмыс істейді";
    CableTypeStation => "←→ choose a station, or type its code", "←→ выберите станцию или введите её код", "←→ бекетті таңдаңыз немесе кодын теріңіз";
    UnlockFailedReason => "unlock failed at the dock", "не открылся замок дока", "доктың құлпы ашылмады";
    BonusTitle => "Give a bonus", "Начислить бонус", "Бонус беру";
    CorrectTitle => "Correct a ledger entry", "Исправить запись счёта", "Шот жазбасын түзету";
    RestrictTitle => "Impose a restriction (D12)", "Наложить ограничение (D12)", "Шектеу қою (D12)";
    LiftTitle => "Lift the restriction (D12)", "Снять ограничение (D12)", "Шектеуді алу (D12)";
    RejectTitle => "Reject the fine (D14)", "Отклонить штраф (D14)", "Айыппұлды қабылдамау (D14)";
    FieldEntry => "Entry", "Запись", "Жазба";
    FieldDelta => "Amount, ₸ (+ or −)", "Сумма, ₸ (+ или −)", "Сомасы, ₸ (+ не −)";
    FieldReasonToRider => "Reason (sent to the rider)", "Причина (уйдёт клиенту)", "Себебі (клиентке жіберіледі)";
    FieldStaffNote => "Note (staff only)", "Заметка (только для сотрудников)", "Жазба (тек қызметкерлерге)";
    FieldAuditNote => "Note for the audit", "Пометка для аудита", "Аудитке ескертпе";
    FieldDockAny => "Dock number (empty: any free one)", "Номер дока (пусто: любой свободный)", "Док нөмірі (бос: кез келген бос)";
    NeedSigned => "{}: a whole number other than 0, −500 or 500", "{}: целое число, не 0: −500 или 500", "{}: 0 емес бүтін сан: −500 не 500";
    NeedStation => "Open a station first", "Сначала откройте станцию", "Алдымен бекетті ашыңыз";
    PreviewCorrects => "entry #{} corrected by {}", "запись #{} исправляется на {}", "#{} жазба {} түзетіледі";
    PreviewCard => "card {} is blocked; the account stays open", "карта {} блокируется; счёт остаётся", "{} картасы бұғатталады; шот қалады";
    PreviewApprove => "approves and posts: {}", "утверждает и начисляет: {}", "бекітіп, салады: {}";
    PreviewReject => "rejects, nothing is posted: {}", "отклоняет, ничего не начисляется: {}", "қабылдамайды, ештеңе салынбайды: {}";
    PreviewDockOut => "dock {} of station {} goes out of service", "док {} станции {} выводится из работы", "{} док ({} бекет) істен шығарылады";
    PreviewDockOutAny => "a free dock of station {} goes out of service", "свободный док станции {} выводится из работы", "{} бекеттің бос докы істен шығарылады";
    PreviewDockIn => "dock {} of station {} back in service", "док {} станции {} возвращается в работу", "{} док ({} бекет) жұмысқа қайтарылады";
    PreviewDockInAll => "the first dock out of service of station {} comes back", "первый неработающий док станции {} возвращается в работу", "{} бекеттің істен шыққан бірінші догы жұмысқа қайтарылады";
    DoneBonus => "bonus {} given to rider {}", "бонус {} начислен клиенту {}", "{} бонус {} клиентке берілді";
    DoneCorrect => "entry #{} corrected by {} for rider {}", "запись #{} исправлена на {} (клиент {})", "#{} жазба {} түзетілді ({} клиент)";
    DoneRestrict => "rider {} restricted by hand", "клиент {} ограничен вручную", "{} клиент қолмен шектелді";
    DoneLift => "restriction of rider {} lifted", "ограничение клиента {} снято", "{} клиенттің шектеуі алынды";
    DoneReject => "fine {} of rider {} rejected", "штраф {} клиента {} отклонён", "{} айыппұл ({} клиент) қабылданбады";
    ReasonSentToRider => "The reason is sent to the rider in a message.", "Причина уйдёт клиенту в сообщении.", "Себебі клиентке хабарламамен жіберіледі.";
    RestrictFact => "Imposed by hand, it is lifted only by hand (D12).", "Наложенное вручную снимается только вручную (D12).", "Қолмен қойылған шектеу тек қолмен алынады (D12).";
    CableLockedAt => "«Құлыпталды» / Locked with the cable at station {}", "«Құлыпталды» / Закреплён тросом на станции {}", "«Құлыпталды» — {} бекетте троспен құлыпталды";
    CableDocked => "The rider docked the bike at station {}: the permission was not used", "Клиент поставил велосипед в док на станции {}: разрешение не понадобилось", "Клиент велосипедті {} бекеттің догына қойды: рұқсат қолданылмады";
    CableEndedOtherwise => "The rental ended another way: the permission was not used", "Аренда завершилась иначе: разрешение не понадобилось", "Жалдау басқаша аяқталды: рұқсат қолданылмады";
    KReject => "reject fine", "отклонить штраф", "айыппұлды қабылдамау";
    KBonus => "give bonus", "бонус", "бонус беру";
    KCorrect => "correct an entry", "исправить запись", "жазбаны түзету";
    KRestrict => "impose restriction", "наложить ограничение", "шектеу қою";
    KLift => "lift restriction", "снять ограничение", "шектеуді алу";
    UnitS => "s", "с", "с";
    MId => "ID", "ID", "ID";
    MRiding => "riding bike", "едет на велосипеде", "велосипедпен жүр";
    MPhone => "phone", "телефон", "телефон";
    MCard => "card", "карта", "карта";
    MEmail => "e-mail", "e-mail", "e-mail";
    MSurname => "surname", "фамилия", "тегі";
    MName => "name", "имя", "аты";
    RoleAgent => "agent", "агент", "агент";
    RoleDepot => "depot", "депо", "депо";
    RoleSupervisor => "supervisor", "супервайзер", "супервайзер";
    RoleAdmin => "admin", "администратор", "әкімші";
    PmCash => "cash", "наличные", "қолма-қол";
    PmCard => "card", "карта", "карта";
    PmBank => "bank transfer", "банковский перевод", "банк аударымы";
    DemoContinued => "Demo city continued from {}: the simulated system as it was left (nothing is real)", "Демо-город продолжен из {}: симулированная система, как её оставили (всё ненастоящее)", "Демо-қала {} файлынан жалғасты: симуляцияланған жүйе қалдырылған күйінде (бәрі жалған)";
    KMouse => "mouse on / off", "мышь вкл / выкл", "тінтуір қосу / өшіру";
    MouseOn => "The console takes the mouse: clicks select, the wheel scrolls (m gives it back)", "Консоль использует мышь: щелчок выбирает, колесо листает (m — вернуть терминалу)", "Консоль тінтуірді алды: шерту таңдайды, дөңгелек айналдырады (m — терминалға қайтару)";
    MouseOff => "The terminal has the mouse again: select text to copy it (m to give it to the console)", "Мышь снова у терминала: выделяйте текст для копирования (m — отдать консоли)", "Тінтуір терминалда: мәтінді көшіру үшін белгілеңіз (m — консольге беру)";
    ColBikes => "Bikes", "Вел.", "Вел.";
    ColFree => "Free", "Своб.", "Бос";
    ColOut => "Out", "Откл.", "Өшір.";
    ColChanged => "Changed", "Изм.", "Өзгер.";
    KTop => "first row", "первая строка", "бірінші жол";
    KBottom => "last row", "последняя строка", "соңғы жол";
    AkOverdue => "OVERDUE", "ПРОСРОЧКА", "МЕРЗІМІ ӨТТІ";
    AkLockError => "LOCK ERROR", "ОШИБКА ЗАМКА", "ҚҰЛЫП ҚАТЕСІ";
    AkUnrecognised => "UNKNOWN BIKE", "НЕИЗВ. ВЕЛОСИПЕД", "БЕЛГІСІЗ ВЕЛ.";
    AkCableCall => "CABLE-LOCK CALL", "ЗВОНОК: ТРОС", "ҚОҢЫРАУ: ТРОС";
    AkInDebt => "IN DEBT", "ДОЛГ", "ҚАРЫЗ";
    AkPinLocked => "PIN LOCKED", "PIN ЗАБЛОК.", "PIN БҰҒАТТА";
    AkPostingFailed => "NOT POSTED", "НЕ ПРОВЕДЕНО", "ӨТКІЗІЛМЕДІ";
    AkFineApproval => "FINE TO APPROVE", "ШТРАФ НА УТВ.", "АЙЫППҰЛ БЕКІТУ";
    AtOverdue => "rider {}: the rental is overdue (R15)", "клиент {}: аренда просрочена (R15)", "{} клиент: жалдау мерзімі өтті (R15)";
    AtLockError => "rider {}: the lock failed at station {}, still charged (R12)", "клиент {}: замок не закрылся на станции {}, оплата идёт (R12)", "{} клиент: {} бекетте құлып жабылмады, төлем жүріп жатыр (R12)";
    AtUnrecognised => "rider {}: the dock at station {} did not recognise the bike (R12)", "клиент {}: док станции {} не узнал велосипед (R12)", "{} клиент: {} бекеттің догы велосипедті танымады (R12)";
    AtCableCall => "rider {} waits for a cable lock at station {} (R14)", "клиент {} ждёт разрешения на трос на станции {} (R14)", "{} клиент {} бекетте трос рұқсатын күтеді (R14)";
    AtEmpty => "station {} is EMPTY", "станция {} ПУСТА", "{} бекеті БОС";
    AtFull => "station {} is FULL", "станция {} ЗАПОЛНЕНА", "{} бекеті ТОЛЫ";
    AtInDebt => "rider {} is restricted with a debt (R18)", "клиент {} ограничен из-за долга (R18)", "{} клиент қарызы үшін шектелген (R18)";
    AtPinLocked => "rider {}: too many wrong PINs, unlocks refused for now (D29)", "клиент {}: слишком много неверных PIN, разблокировка пока запрещена (D29)", "{} клиент: қате PIN тым көп, ашуға әзірше тыйым (D29)";
    AtPostingFailed => "rider {}: the nightly posting failed (D31)", "клиент {}: ночное начисление не прошло (D31)", "{} клиент: түнгі есептеу өтпеді (D31)";
    AtFineApproval => "rider {}: a fine waits for a supervisor's approval (D14)", "клиент {}: штраф ждёт утверждения супервайзера (D14)", "{} клиент: айыппұл супервайзердің бекітуін күтеді (D14)";
    AtFaulty => "rider {}: the bike was reported faulty at station {}", "клиент {}: велосипед отмечен неисправным на станции {}", "{} клиент: велосипед {} бекетте ақаулы деп белгіленді";
    // The desk's case file (issue 17)
    Cases => "Cases", "Дела", "Істер";
    Yes => "yes", "да", "иә";
    No => "no", "нет", "жоқ";
    FieldPinNote => "Pin to the top", "Закрепить сверху", "Жоғарыға бекіту";
    Pinned => "PINNED", "ЗАКРЕПЛЕНО", "БЕКІТІЛГЕН";
    StationNoteTitle => "A note on the station", "Заметка о станции", "Бекет туралы жазба";
    BikeNoteTitle => "A note on the bike", "Заметка о велосипеде", "Велосипед туралы жазба";
    DoneFleetNote => "note ({}) kept", "заметка ({}) сохранена", "жазба ({}) сақталды";
    DisNoBikeHere => "no bike under the cursor", "под курсором нет велосипеда", "курсор астында велосипед жоқ";
    UnpinTitle => "Unpin the pinned note", "Открепить заметку", "Жазбаны босату";
    DisNoPinned => "no pinned note", "нет закреплённой заметки", "бекітілген жазба жоқ";
    PreviewUnpin => "the note stays, in its place by time", "заметка останется, на своём месте по времени", "жазба қалады, уақыты бойынша орнында";
    DoneUnpin => "note {} unpinned", "заметка {} откреплена", "{} жазба босатылды";
    OpenContactTitle => "A contact with the rider (a call, a visit)", "Обращение клиента (звонок, визит)", "Клиенттің өтініші (қоңырау, келу)";
    DisContactOpen => "a contact is open: close it with w", "обращение уже открыто: закройте его клавишей w", "өтініш ашық: оны w арқылы жабыңыз";
    FieldContactReason => "Reason of the contact", "Причина обращения", "Өтініш себебі";
    DoneOpenContact => "contact with rider {} open: what you do now is linked to it", "обращение клиента {} открыто: ваши действия привязываются к нему", "{} клиенттің өтініші ашық: әрекеттеріңіз соған байланады";
    CloseContactTitle => "Close the contact", "Закрыть обращение", "Өтінішті жабу";
    DisNoContact => "no contact open: open one with o", "нет открытого обращения: откройте клавишей o", "ашық өтініш жоқ: o арқылы ашыңыз";
    ContactFact => "reason: {} · actions so far: {}", "причина: {} · действий: {}", "себебі: {} · әрекеттер: {}";
    FieldOutcome => "Outcome", "Итог", "Нәтиже";
    DoneCloseContact => "contact with rider {} closed", "обращение клиента {} закрыто", "{} клиенттің өтініші жабылды";
    OnCall => "ON A CALL since {}: {}", "ОБРАЩЕНИЕ с {}: {}", "ӨТІНІШ {} бастап: {}";
    ContactsTitle => "Contacts", "Обращения", "Өтініштер";
    ContactRow => "{} {} · {} → {} · actions: {}", "{} {} · {} → {} · действий: {}", "{} {} · {} → {} · әрекеттер: {}";
    ContactStillOpen => "open", "открыто", "ашық";
    IssueCardTitle => "Issue or replace the card (R24)", "Выдать или заменить карту (R24)", "Картаны беру не ауыстыру (R24)";
    CardReplaces => "replaces card {} (it is blocked)", "заменяет карту {} (она блокируется)", "{} картасын ауыстырады (ол бұғатталады)";
    FieldCardNumber => "New card number", "Номер новой карты", "Жаңа карта нөмірі";
    PreviewCardFee => "card fee {} charged to the account", "стоимость карты {} списывается со счёта", "карта құны {} шоттан алынады";
    PreviewCardFree => "no card fee in this tariff", "в этом тарифе карта бесплатна", "бұл тарифте карта тегін";
    PreviewOldCardBlocked => "the old card is blocked (R24)", "старая карта блокируется (R24)", "ескі карта бұғатталады (R24)";
    DoneIssueCard => "card issued to rider {}: fee {}", "карта выдана клиенту {}: стоимость {}", "{} клиентке карта берілді: құны {}";
    CaseLine => "case {} · {} · {} · next: {} · due {}", "дело {} · {} · {} · далее: {} · срок {}", "іс {} · {} · {} · келесі: {} · мерзімі {}";
    OpenCaseTitle => "Open a case (what the call cannot finish)", "Открыть дело (что не решить за звонок)", "Іс ашу (қоңыраумен шешілмейтін)";
    CaseFromContact => "from contact {}", "из обращения {}", "{} өтініштен";
    FieldCaseKind => "Kind", "Вид", "Түрі";
    FieldNextAction => "Next action", "Следующее действие", "Келесі әрекет";
    FieldDue => "Due (local, YYYY-MM-DD HH:MM)", "Срок (местное, ГГГГ-ММ-ДД ЧЧ:ММ)", "Мерзімі (жергілікті, ЖЖЖЖ-АА-КК СС:ММ)";
    BadDue => "due: write a local time as YYYY-MM-DD HH:MM", "срок: укажите местное время как ГГГГ-ММ-ДД ЧЧ:ММ", "мерзімі: жергілікті уақытты ЖЖЖЖ-АА-КК СС:ММ түрінде жазыңыз";
    DoneOpenCase => "case {} opened", "дело {} открыто", "{} іс ашылды";
    UpdateCaseTitle => "Move the case on", "Продвинуть дело", "Істі жылжыту";
    FieldStatus => "Status", "Статус", "Күйі";
    DoneUpdateCase => "case {} updated", "дело {} обновлено", "{} іс жаңартылды";
    AssignCaseTitle => "Give the case to someone", "Передать дело", "Істі беру";
    FieldOwner => "Staff member (empty: the desk)", "Сотрудник (пусто: вся смена)", "Қызметкер (бос: бүкіл ауысым)";
    TheDesk => "the desk", "смена", "ауысым";
    FieldOwnerPick => "Give it to", "Кому передать", "Кімге беру";
    DoneAssignCase => "case {} given to {}", "дело {} передано: {}", "{} іс берілді: {}";
    CsOpen => "open", "открыто", "ашық";
    CsWaitingRider => "waiting for the rider", "ждём клиента", "клиентті күтеміз";
    CsWaitingDepot => "waiting for the depot", "ждём депо", "депоны күтеміз";
    CsClosed => "closed", "закрыто", "жабық";
    CasesMine => "Mine", "Мои", "Менікі";
    CasesDesks => "The desk's", "Общие", "Ортақ";
    CasesAll => "All open cases", "Все открытые дела", "Барлық ашық істер";
    NoCases => "No open case.", "Открытых дел нет.", "Ашық іс жоқ.";
    HandedOver => "Handed over by {} at {}", "Передано: {}, {}", "Тапсырған: {}, {}";
    TakenOverBy => "taken over by {}", "принял(а) {}", "қабылдаған {}";
    HandoverWaiting => "{} handed the shift over: take it over item by item in Cases (7)", "{} передал(а) смену: примите по пунктам в «Делах» (7)", "{} ауысымды тапсырды: «Істерде» (7) тармақ бойынша қабылдаңыз";
    HandoverTitle => "Hand the shift over", "Передать смену", "Ауысымды тапсыру";
    FieldHandoverNote => "Note for the next shift", "Заметка для следующей смены", "Келесі ауысымға жазба";
    DoneHandover => "shift handed over: {} items", "смена передана: пунктов {}", "ауысым тапсырылды: {} тармақ";
    AckHandoverTitle => "Take over a handover item", "Принять пункт передачи", "Тапсыру тармағын қабылдау";
    DisNoHandoverItem => "no handover item under the cursor", "под курсором нет пункта передачи", "курсор астында тапсыру тармағы жоқ";
    DisTakenOver => "taken over already", "уже принято", "қабылданып қойған";
    HandoverFact => "{} · {}: {}", "{} · {}: {}", "{} · {}: {}";
    DoneAckHandover => "handover item {} taken over", "пункт {} принят", "{} тармақ қабылданды";
    HkCase => "case", "дело", "іс";
    HkCableLock => "cable lock", "тросовый замок", "трос құлып";
    HkFine => "fine", "штраф", "айыппұл";
    HkAlert => "alert", "сигнал", "дабыл";
    HkNote => "note", "заметка", "жазба";
    ShiftOver => "your shift is over ({}): hand it over (:handover), or q again to quit", "смена окончена ({}): передайте её (:handover) или нажмите q ещё раз", "ауысым аяқталды ({}): тапсырыңыз (:handover) немесе q-ды қайта басыңыз";
    CallNotFound => "no rider found for {}", "клиент не найден: {}", "клиент табылмады: {}";
    CallMany => "{} riders match {}: pick one in Riders (3)", "{} клиентов подходят под {}: выберите в «Клиентах» (3)", "{} клиент {} сәйкес: «Клиенттерде» (3) таңдаңыз";
    KUnpin => "unpin the note", "открепить заметку", "жазбаны босату";
    KOpenContact => "open a contact", "открыть обращение", "өтініш ашу";
    KCloseContact => "close the contact", "закрыть обращение", "өтінішті жабу";
    KIssueCard => "issue a card", "выдать карту", "карта беру";
    KOpenCase => "open a case", "открыть дело", "іс ашу";
    KStationNote => "note on the station", "заметка о станции", "бекет туралы жазба";
    KBikeNote => "note on the bike", "заметка о велосипеде", "велосипед туралы жазба";
    KUpdateCase => "move the case on", "продвинуть дело", "істі жылжыту";
    KAssignCase => "give the case to someone", "передать дело", "істі беру";
    KAckHandover => "take over the item", "принять пункт", "тармақты қабылдау";
    GroupCases => "Cases", "Дела", "Істер";
    UnitMin => "min", "мин", "мин";
    UnitH => "h", "ч", "сағ";
    UnitD => "d", "д", "күн";
    // Dispute (issue 17)
    KDispute => "dispute a return", "спор о возврате", "қайтару дауы";
    DisputeTitle => "Docking dispute: \"I returned the bike\"", "Спор о возврате: «я вернул велосипед»", "Қайтару дауы: «велосипедті қайтардым»";
    DisNoTrip => "no trip to dispute", "нет поездки для спора", "дауласатын сапар жоқ";
    FieldClaimStation => "Station the rider docked at (empty: the last lock error)", "Станция, где клиент поставил (пусто: последняя ошибка замка)", "Клиент қойған бекет (бос: соңғы құлып қатесі)";
    FieldClaimAt => "Time they docked (empty: the last lock error)", "Время возврата (пусто: последняя ошибка замка)", "Қайтарған уақыты (бос: соңғы құлып қатесі)";
    DsTrip => "trip {} · bike {} · from {} · {}", "поездка {} · велосипед {} · с {} · {}", "сапар {} · велосипед {} · {} бастап · {}";
    DsOpen => "STILL OPEN", "ЕЩЁ ОТКРЫТА", "ӘЛІ АШЫҚ";
    DsEnded => "ended {} at station {}", "завершена {} на станции {}", "{} аяқталды, {} бекет";
    DsClaim => "the rider says: station {} at {}", "клиент говорит: станция {} в {}", "клиент айтады: {} бекет, {}";
    DsRecorded => "what was recorded about the bike:", "что записано о велосипеде:", "велосипед туралы жазылғаны:";
    DsNothingRecorded => "nothing recorded about the bike since the start", "с начала аренды о велосипеде ничего не записано", "жалдау басталғаннан бері велосипед туралы ештеңе жазылмаған";
    DsAtStation => "station {}", "станция {}", "{} бекет";
    DsDock => "dock {}", "док {}", "{} док";
    DsLockError => "LOCK ERROR (R12)", "ОШИБКА ЗАМКА (R12)", "ҚҰЛЫП ҚАТЕСІ (R12)";
    DsUnrecognised => "NOT RECOGNISED (R12)", "НЕ РАСПОЗНАН (R12)", "ТАНЫЛМАДЫ (R12)";
    DsAskedFor => "rider {} asked for it here", "клиент {} пытался взять его здесь", "{} клиент оны осында алмақ болды";
    DsNextRental => "rider {} took it from here", "клиент {} взял его отсюда", "{} клиент оны осыдан алды";
    DsDepotTook => "the depot took it from here", "депо забрало его отсюда", "депо оны осыдан алып кетті";
    DsProof => "PROOF: left here", "ДОКАЗАТЕЛЬСТВО: оставлен", "ДӘЛЕЛ: осында қалған";
    DsReport => "the dock's report", "отчёт дока", "доктың есебі";
    DsDockHistory => "dock {} of station {}: failed returns recorded {}, the last {}", "док {} станции {}: неудачных возвратов {}, последний {}", "{} док, {} бекет: сәтсіз қайтару {}, соңғысы {}";
    DsFairEnd => "proposed end: {} at station {}", "предлагаемый конец: {} на станции {}", "ұсынылған аяқталу: {}, {} бекет";
    DsEndPrice => "the trip costs {} to now; ended then, {} ({} less)", "поездка стоит {} на сейчас; с этим концом {} (на {} меньше)", "сапар қазір {} тұрады; сол уақытта аяқталса {} ({} кем)";
    DsCredit => "the trip cost {}; its fair price {}: {} credited as a recognised claim (R26)", "поездка стоила {}; справедливая цена {}: {} зачисляется как признанная претензия (R26)", "сапар {} тұрды; әділ бағасы {}: {} танылған шағым ретінде қайтарылады (R26)";
    DsNothing => "nothing to settle: {}", "урегулировать нечего: {}", "реттейтін ештеңе жоқ: {}";
    DsNoProof => "no one took the bike or asked for it at that station, and the depot did not find it there: a lock error alone continues the rental (R12)", "на этой станции никто не взял и не спрашивал велосипед, депо его там не нашло: одна ошибка замка аренду не завершает (R12)", "ол бекетте велосипедті ешкім алмады да, сұрамады да, депо да таппады: құлып қатесі ғана жалдауды аяқтамайды (R12)";
    DsSeenElsewhere => "the bike was reported at another station after that time", "после этого времени велосипед отмечен на другой станции", "сол уақыттан кейін велосипед басқа бекетте белгіленген";
    DsEndedElsewhere => "the trip ended at another station", "поездка завершилась на другой станции", "сапар басқа бекетте аяқталған";
    DsBadTime => "the time is outside the trip (before its start, after its end or in the future)", "время вне поездки (до начала, после конца или в будущем)", "уақыт сапардан тыс (басталғанға дейін, аяқталғаннан кейін немесе болашақта)";
    DsNoGain => "the trip already ends at or before that time", "поездка уже заканчивается не позже этого времени", "сапар сол уақытта немесе одан бұрын аяқталған";
    DsSettled => "this trip's dispute was settled already", "спор по этой поездке уже урегулирован", "бұл сапар бойынша дау шешіліп қойған";
    DoneDisputeEnd => "dispute of rider {} settled: rental ended at station {}, {}", "спор клиента {} урегулирован: аренда завершена на станции {}, {}", "{} клиенттің дауы шешілді: жалдау {} бекетте аяқталды, {}";
    DoneDisputeCredit => "dispute of rider {} settled: {}", "спор клиента {} урегулирован: {}", "{} клиенттің дауы шешілді: {}";
    AkFaultyDock => "FAULTY DOCK", "НЕИСПРАВНЫЙ ДОК", "АҚАУЛЫ ДОК";
    AtFaultyDock => "station {}, dock {}: repeated failed returns within 24 h — check its lock", "станция {}, док {}: повторные неудачные возвраты за 24 ч — проверьте замок", "{} бекет, {} док: 24 сағатта қайта-қайта сәтсіз қайтару — құлпын тексеріңіз";
}

pub use super::words::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_three_distinct_languages_or_a_shared_word() {
        for t in T::ALL {
            for lang in [Lang::En, Lang::Ru, Lang::Kk] {
                assert!(!t.get(lang).is_empty(), "{t:?} in {lang:?} is empty");
            }
            // Placeholders must match across languages, or a value would go missing.
            let n = |l| t.get(l).matches("{}").count();
            assert_eq!(n(Lang::En), n(Lang::Ru), "{t:?}: ru placeholders");
            assert_eq!(n(Lang::En), n(Lang::Kk), "{t:?}: kk placeholders");
        }
    }
}
