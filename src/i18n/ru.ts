// Russian is the cabinet's first language. Texts quoted from the seed chapter are requirements, word for word.
export const ru = {
  "app.title": "Личный кабинет",
  "app.testMode": "Тестовый режим",
  "app.testModeHint": "Тестовый режим: данные этого кабинета не связаны с рабочим режимом.",
  "app.language": "Язык",
  "app.skipToContent": "Перейти к содержимому",

  // Seed: «Вход в личный кабинет», «Войти», «Забыли пароль?» and the failure sentence.
  "signIn.title": "Вход в личный кабинет",
  "signIn.login": "Логин",
  "signIn.password": "Пароль",
  "signIn.submit": "Войти",
  "signIn.forgot": "Забыли пароль?",
  "signIn.failed": "Извините, пользователь с такими логином и паролем не зарегистрирован в системе",
  "signIn.required": "Введите логин и пароль.",
  "signIn.signedOut": "Вы вышли из личного кабинета.",
  "signIn.sessionExpired": "Сеанс завершен из-за отсутствия активности. Войдите снова.",
  "signIn.passwordChanged": "Пароль изменен. Войдите с новым паролем.",
  "signIn.throttledTitle": "Слишком много попыток входа",
  "signIn.throttled": "С вашего адреса было слишком много неудачных попыток входа. Повторите через {wait}.",

  "csrf.title": "Форма устарела",
  "csrf.body":
    "Страница была открыта слишком давно или из другого сайта. Откройте форму заново и повторите действие.",
  "csrf.back": "Открыть форму заново",

  "nav.orders": "Мониторинг заказов",
  "nav.reports": "Отчеты",
  "nav.settings": "Настройки",
  "nav.admin": "Администрирование",
  "nav.audit": "Журнал событий",
  "nav.signOut": "Выйти",
  "nav.main": "Разделы",

  "home.title": "Главная",
  "home.welcome": "Добро пожаловать, {name}",
  "home.enterprise": "Предприятие",
  "home.login": "Логин",
  "home.language": "Язык интерфейса",
  "home.merchants": "Доступные магазины",
  "home.allMerchants": "все магазины предприятия",
  "home.rights": "Права",
  "home.noRights": "дополнительных прав нет",
  "home.lastSignIn": "Предыдущий вход",
  "home.firstSignIn": "это ваш первый вход",
  "home.sessionEnds": "Сеанс завершится после {idle} без активности.",

  "lang.ru": "Русский",
  "lang.en": "English",

  // Seed, recovery page and its two answers.
  "recovery.title": "Восстановление пароля",
  "recovery.introBefore": "Для восстановления доступа введите ",
  "recovery.introLogin": "имя пользователя",
  "recovery.introAnd": " и ",
  "recovery.introEmail": "адрес электронной почты",
  "recovery.introAfter": ", который был указан при регистрации.",
  "recovery.login": "Имя пользователя",
  "recovery.email": "Адрес электронной почты",
  "recovery.submit": "Отправить",
  "recovery.sent": "На ваш email отправлена ссылка для восстановления пароля.",
  "recovery.back": "Назад к авторизации",
  "recovery.failed": "Такой пользователь не существует или неверно указан e-mail.",
  "recovery.failedHint":
    "Введите, пожалуйста, корректные данные или обратитесь к администратору вашего магазина или в службу поддержки",
  "recovery.required": "Введите имя пользователя и адрес электронной почты.",
  "recovery.linkInvalidTitle": "Ссылка недействительна",
  "recovery.linkInvalid":
    "Ссылка для восстановления пароля устарела, уже использована или была заменена более новой. Запросите новую ссылку.",
  "recovery.requestNew": "Запросить новую ссылку",
  "recovery.newPasswordTitle": "Новый пароль",
  "recovery.newPasswordIntro": "Задайте новый пароль для учетной записи {login}.",

  "password.current": "Текущий пароль",
  "password.new": "Новый пароль",
  "password.repeat": "Повторите новый пароль",
  "password.save": "Сохранить",
  "password.rulesTitle": "Требования к паролю",
  "password.rule.length": "длина от {min} до {max} символов включительно",
  "password.rule.charset": "только латинские буквы (прописные и строчные) и цифры",
  "password.rule.letterAndDigit": "обязательно и буквы, и цифры",
  "password.rule.history": "не совпадает ни с одним из последних {count} паролей",
  "password.error.length": "Пароль должен содержать от {min} до {max} символов включительно.",
  "password.error.charset": "Пароль может содержать только латинские буквы (прописные и строчные) и цифры.",
  "password.error.letterAndDigit": "Пароль должен содержать как буквы, так и цифры.",
  "password.error.history":
    "Пароль не может повторять ни один из последних {count} паролей этой учетной записи.",
  "password.error.mismatch": "Пароли не совпадают.",
  "password.error.currentWrong": "Текущий пароль указан неверно.",
  "password.error.required": "Заполните все поля.",
  "password.error.noRight":
    "У вас нет права изменять собственный пароль. Обратитесь к администратору предприятия.",
  "password.changed": "Пароль изменен. Остальные сеансы этой учетной записи завершены.",
  "password.forcedTitle": "Смена временного пароля",
  "password.forcedIntro":
    "Пароль был выдан вам администратором. Прежде чем продолжить, задайте собственный пароль.",

  "settings.title": "Настройки",
  "settings.passwordTitle": "Смена пароля",

  "error.notFoundTitle": "Страница не найдена",
  "error.notFound": "Такой страницы нет в личном кабинете.",
  "error.forbiddenTitle": "Доступ запрещен",
  "error.forbidden": "У вас нет прав на этот раздел.",
  "error.serverTitle": "Ошибка сервера",
  "error.server":
    "Не удалось выполнить запрос. Повторите попытку позже; если ошибка повторится, обратитесь в службу поддержки.",
  "error.badRequestTitle": "Неверный запрос",
  "error.badRequest": "Запрос не удалось разобрать. Вернитесь на предыдущую страницу и повторите.",
  "error.home": "На главную",

  "mail.greeting": "Здравствуйте, {name}!",
  "mail.signature": "Личный кабинет",
  "mail.ignore": "Если вы не запрашивали это письмо, просто не отвечайте на него: пароль останется прежним.",
  "mail.reset.subject": "Восстановление пароля в личном кабинете",
  "mail.reset.body":
    "Для учетной записи {login} запрошено восстановление пароля. Чтобы задать новый пароль, перейдите по ссылке:",
  "mail.reset.button": "Задать новый пароль",
  "mail.reset.validity": "Ссылка действительна в течение {duration}.",
  "mail.changed.subject": "Пароль в личном кабинете изменен",
  "mail.changed.body": "Пароль учетной записи {login} был изменен {when}.",
  "mail.changed.warning":
    "Если вы не меняли пароль, немедленно обратитесь к администратору вашего магазина или в службу поддержки {support}.",
  "mail.locked.subject": "Учетная запись временно заблокирована",
  "mail.locked.body":
    "Неудачных попыток входа подряд: {count}. Учетная запись {login} заблокирована на {duration}, до {until}.",
  "mail.locked.warning":
    "Если это были не вы, кто-то пытается подобрать ваш пароль. Смените пароль после разблокировки и сообщите в службу поддержки {support}.",

  "unit.second": "{n} секунду|{n} секунды|{n} секунд",
  "unit.minute": "{n} минуту|{n} минуты|{n} минут",
  "unit.hour": "{n} час|{n} часа|{n} часов",
  "unit.day": "{n} день|{n} дня|{n} дней",
  // After «в течение» Russian needs the genitive: «в течение 1 минуты», «в течение 30 минут».
  "unit.gen.second": "{n} секунды|{n} секунд|{n} секунд",
  "unit.gen.minute": "{n} минуты|{n} минут|{n} минут",
  "unit.gen.hour": "{n} часа|{n} часов|{n} часов",
  "unit.gen.day": "{n} дня|{n} дней|{n} дней",
} as const;
