/**
 * FROZEN DATA — the city's sector taxonomy as first seeded on 2026-11-28.
 *
 * A migration imports this file to fill the `sectors` table. Migrations must
 * give the same result every time they run, on every database, so this file
 * must NEVER change once it has landed: not a name, not a keyword, not the
 * order. To change the taxonomy later, write a new migration that updates
 * the rows (or a new seed file with a new date that a new migration
 * imports); staff can also edit sectors in the running service.
 *
 * For the same reason the file imports nothing: its shape is spelled out
 * here, so later changes to domain types cannot change what it exports.
 *
 * Keyword notation (see `SectorKeywords` in src/domain/sectors.ts):
 * a plain keyword is a stem that matches the start of a word, so Armenian
 * and Russian inflected forms match (`ջր` matches ջրի, ջրից,
 * ջրամատակարարում; `ճանապարհ` matches ճանապարհին, ճանապարհները);
 * `=word` matches that whole word only, for short stems that begin unrelated
 * words (`=газ` must not match газон, `=փոս` must not match փոստ); a keyword
 * of several words matches them in a row. Case, ё/е and և/եւ/եվ are folded.
 *
 * The `hy` lists also hold Armenian written in Latin letters ("translit":
 * jur, axb, luys), which many citizens use on social pages.
 */
export const SECTOR_SEED: ReadonlyArray<{
  code: string;
  position: number;
  names: { hy: string; en: string; ru: string };
  keywords: { hy: string[]; en: string[]; ru: string[] };
}> = [
  {
    code: 'water',
    position: 1,
    names: { hy: 'Ջրամատակարարում և ջրահեռացում', en: 'Water supply and sewerage', ru: 'Водоснабжение и водоотведение' },
    keywords: {
      hy: [
        'ջուր', 'ջր', 'ջրամատակարար', 'ջրահեռաց', 'ջրմուղ', 'խողովակ', 'կոյուղ', 'ծորակ', 'արտահոս',
        'հոսակորուստ', 'դիտահոր', 'աղբյուր', 'ցայտաղբյուր', 'պուլպուլակ', 'վեոլիա',
        '=jur', 'jri', 'jrmugh', 'jramatakar', 'xoxovak', 'khoghovak',
      ],
      en: ['water', 'pipe', 'sewer', 'sewage', 'leak', 'plumbing', 'drain', 'manhole', 'veolia'],
      ru: [
        '=вода', '=воды', '=воду', '=водой', '=воде', 'водопровод', 'водоснабж', 'водоканал', 'водоотвед', 'водосток',
        'канализац', '=труба', '=трубы', '=трубу', '=трубой', '=трубе', '=труб', 'трубопровод', 'протечк',
        '=люк', '=люка', '=люки', '=люков', 'веолия',
      ],
    },
  },
  {
    code: 'roads_transport',
    position: 2,
    names: { hy: 'Ճանապարհներ և տրանսպորտ', en: 'Roads and transport', ru: 'Дороги и транспорт' },
    keywords: {
      hy: [
        'ճանապարհ', 'ճամփ', 'ասֆալտ', '=փոս', 'փոսը', 'փոսի', 'փոսեր', 'փոսու', 'փոսից', 'փոսով', 'փոսոտ', 'մայթ',
        'ավտոբուս', 'միկրոավտոբուս', 'երթուղ', 'տրոլեյբուս', '=մետրո', 'մետրոյ', 'կանգառ', 'տրանսպորտ',
        'լուսացույց', 'խցանում', 'կայանատեղ', 'մայրուղի', 'կամուրջ', 'կամրջ', 'գծանշում', 'հետիոտն', 'ձյուն',
        'ձյան', 'սառցակալ', 'վարորդ', 'ուղևոր',
        'chanaparh', 'janaparh', 'avtobus', 'marshrutk', 'asfalt',
      ],
      en: [
        'road', 'pothole', 'asphalt', 'sidewalk', 'pavement', '=bus', '=buses', 'bus stop', 'minibus', 'marshrutka',
        'trolleybus', '=metro', 'traffic', 'parking', 'bridge', 'crosswalk', 'transport', 'driver', 'snow', '=ice', 'icy',
      ],
      ru: [
        '=дорога', '=дороги', '=дорогу', '=дороге', '=дорог', '=дорогах', '=дорогам', '=дорогами', 'дорожн',
        '=яма', '=ямы', '=яму', '=ямой', '=ям', '=ямах', '=ямами', 'ямк', 'ямочн', 'асфальт', 'тротуар', 'автобус',
        'маршрутк', 'троллейбус', '=метро', 'остановк', 'светофор', 'транспорт', 'парковк', '=пробка', '=пробки',
        '=пробок', '=мост', '=моста', '=мосту', '=мосте', '=мосты', 'перекрест', 'разметк', 'пешеход', 'водител',
        '=снег', '=снега', '=снегу', 'гололед',
      ],
    },
  },
  {
    code: 'waste_sanitation',
    position: 3,
    names: { hy: 'Աղբահանություն և սանմաքրում', en: 'Waste and sanitation', ru: 'Вывоз мусора и санитарная очистка' },
    keywords: {
      hy: [
        '=աղբ', 'աղբը', 'աղբն', 'աղբի', 'աղբա', 'աղբով', 'աղբեր', 'սանմաքր', 'մաքր', 'կեղտ', 'թափոն', 'թափառող',
        'առնետ', '=մուկ', 'մկներ', '=շուն', 'շներ', 'ախտահան', 'հավաքարար', 'կոնտեյներ', 'գարշահոտ', '=հոտ', 'հոտը',
        'axb', 'aghb',
      ],
      en: [
        'garbage', 'trash', 'rubbish', 'waste', 'litter', '=bin', '=bins', 'dumpster', '=dump', 'sanitation', 'clean',
        'dirty', 'dirt', '=rat', '=rats', 'stray', 'smell', 'stink',
      ],
      ru: [
        'мусор', 'отход', 'свалк', 'уборк', '=бак', '=баки', '=баков', 'контейнер', 'санитар', 'грязь', 'грязн',
        'вывоз', 'крыс', 'бродяч', '=собаки', '=собак', 'дезинфекц', 'вонь', '=запах', 'дворник', 'урн',
      ],
    },
  },
  {
    code: 'street_lighting',
    position: 4,
    names: { hy: 'Արտաքին լուսավորություն', en: 'Street lighting', ru: 'Уличное освещение' },
    keywords: {
      hy: ['լուսավոր', 'լույս', 'լամպ', 'լապտեր', 'լուսատու', 'լուսարձակ', 'մութ', 'մթութ', '=luys', '=luysy', '=lujs', 'lusavor'],
      en: ['street light', 'streetlight', '=light', '=lights', 'lighting', 'lamp', 'lantern', '=dark', 'darkness', 'unlit'],
      ru: [
        'освещ', 'фонар', '=свет', '=света', '=светом', '=свете', 'лампочк', '=лампа', '=лампы', '=ламп', '=лампу',
        'темно', 'темнот', 'прожектор', '=столб', '=столбы',
      ],
    },
  },
  {
    code: 'heating_utilities',
    position: 5,
    names: { hy: 'Ջեռուցում և կոմունալ ծառայություններ', en: 'Heating and utilities', ru: 'Отопление и коммунальные услуги' },
    keywords: {
      hy: [
        'ջեռուց', '=գազ', 'գազը', 'գազի', 'գազա', 'գազով', 'գազն', 'գազպրոմ', 'հոսանք', 'էլեկտր', 'հէց', '=հեց',
        'վերելակ', 'կոմունալ', 'տանիք', 'շքամուտք', 'համատիրութ', 'կաթսայատուն', 'ռադիատոր', 'տաք ջուր', 'տաք ջր',
        '=gaz', '=gazi', '=gazy', 'hosanq', 'jeruc', 'jeruts',
      ],
      en: [
        'heating', '=heat', '=gas', 'electricity', 'electric', 'power outage', 'blackout', 'elevator', '=lift', 'radiator',
        'boiler', 'hot water', 'utilit', 'roof',
      ],
      ru: [
        'отоплен', '=газ', '=газа', '=газу', '=газом', '=газе', '=газы', 'газов', 'газопровод', 'газоснабж', 'газифик',
        'электричеств', 'электроэнерг', 'электроснабж', 'электросет', 'лифт', 'батаре', 'радиатор', 'котельн',
        'коммунал', '=крыша', '=крыши', '=крышу', '=крыше', 'подъезд', 'горяч вод', 'теплоснабж', '=жкх', '=тсж',
      ],
    },
  },
  {
    code: 'social_assistance',
    position: 6,
    names: { hy: 'Սոցիալական աջակցություն', en: 'Social assistance', ru: 'Социальная помощь' },
    keywords: {
      hy: [
        'նպաստ', 'թոշակ', 'կենսաթոշակ', 'սոցիալական աջակց', 'սոցիալական օգն', 'սոցիալական ծառայ',
        'սոցիալական ապահով', 'սոցիալական փաթեթ', 'սոցիալական բնակարան', 'սոցապ', 'նյութական օգն', 'դրամական օգն',
        'ֆինանսական աջակց', 'ֆինանսական օգն', 'հաշմանդամ', 'կարիքավոր', 'անապահով', 'բազմազավակ', 'որբ', 'փախստական',
        'տեղահանված', 'արցախցի',
        'toshak', 'npast',
      ],
      en: [
        'pension', 'benefit', 'allowance', 'social assistance', 'social support', 'social aid', 'welfare', 'disab',
        'low income', 'needy', 'refugee', 'displaced', 'financial aid', 'financial assistance', 'orphan',
      ],
      ru: [
        'пособи', 'пенси', 'льгот', 'малоимущ', 'малообеспеч', 'инвалид', 'соцзащит', 'соцпомощ', 'социальн помощ',
        'социальн поддержк', 'социальн выплат', 'материальн помощ', 'многодетн', 'беженц', 'переселенц', 'сирот',
        'выплат',
      ],
    },
  },
  {
    code: 'education',
    position: 7,
    names: { hy: 'Կրթություն և մանկապարտեզներ', en: 'Education and kindergartens', ru: 'Образование и детские сады' },
    keywords: {
      hy: [
        'մանկապարտեզ', 'սադիկ', 'դպրոց', 'կրթ', 'ուսուցիչ', 'ուսուցչ', 'աշակերտ', 'դաստիարակ', 'նախակրթարան', 'մսուր',
        'դասարան', 'ուսումնակ', 'ուսանող', 'համալսարան', 'քոլեջ',
        'mankapartez', 'dproc', 'dprots',
      ],
      en: [
        'kindergarten', 'school', 'teacher', 'education', 'pupil', 'student', 'preschool', 'nursery', 'classroom',
        'university', 'college',
      ],
      ru: [
        'детск сад', 'детсад', 'садик', 'школ', 'учител', 'образован', 'ученик', 'учебн', 'воспитател', 'ясл', 'студент',
        'университет', 'колледж',
      ],
    },
  },
  {
    code: 'health',
    position: 8,
    names: { hy: 'Առողջապահություն', en: 'Health', ru: 'Здравоохранение' },
    keywords: {
      hy: [
        'պոլիկլինիկ', 'կլինիկ', 'հիվանդ', 'բժիշկ', 'բժշկ', '=դեղ', 'դեղը', 'դեղեր', 'դեղատ', 'դեղորայք', 'դեղամիջոց',
        'շտապօգն', 'շտապ օգն', 'առողջ', 'բուժ', 'ամբուլատոր', 'պատվաստ', 'ծննդատուն',
        'poliklinik', 'bjishk', 'hivandanoc',
      ],
      en: ['clinic', 'polyclinic', 'hospital', 'doctor', 'medicine', 'medical', 'health', 'ambulance', 'pharmac', 'vaccin', 'nurse'],
      ru: [
        'поликлиник', 'клиник', 'больниц', 'врач', 'медицин', 'медпункт', 'лекарств', 'скор помощ', 'здравоохран',
        'здоровь', 'аптек', 'прививк', 'вакцин', 'амбулатор', 'роддом', 'медсестр',
      ],
    },
  },
  {
    code: 'culture_sport',
    position: 9,
    names: { hy: 'Մշակույթ և սպորտ', en: 'Culture and sport', ru: 'Культура и спорт' },
    keywords: {
      hy: [
        'մշակույթ', 'մշակութ', 'սպորտ', 'մարզադաշտ', 'մարզասրահ', 'մարզիչ', 'մարզչ', 'մարզական', 'մարզաձև', 'թանգարան',
        'թատրոն', 'թատեր', 'գրադարան', 'համերգ', 'փառատոն', 'ֆուտբոլ', 'լողավազան', 'ցուցահանդես', 'միջոցառում', 'կինո',
      ],
      en: [
        'culture', 'cultural', 'sport', 'stadium', 'museum', 'theatre', 'theater', 'library', 'concert', 'festival',
        'swimming pool', 'football', '=gym', 'coach', 'exhibition', 'cinema',
      ],
      ru: [
        'культур', 'спорт', 'стадион', 'музе', 'театр', 'библиотек', 'концерт', 'фестивал', 'бассейн', 'футбол', 'тренер',
        'выставк', 'мероприят', '=кино', 'кинотеатр',
      ],
    },
  },
  {
    code: 'construction_planning',
    position: 10,
    names: { hy: 'Շինարարություն և քաղաքաշինություն', en: 'Construction and urban planning', ru: 'Строительство и градостроительство' },
    keywords: {
      hy: [
        'շինարար', 'շինթույլտվ', 'քաղաքաշին', 'կառուցապատ', 'կառուց', 'կառույց', 'շենք', 'քանդում', 'քանդել', 'քանդվ',
        'քանդեց', 'վերանորոգ', 'բարեկարգ', 'կանաչապատ', 'կանաչ տարածք', 'այգի', 'այգու', 'այգում', 'պուրակ',
        'խաղահրապարակ', '=բակ', 'բակում', 'բակը', '=բակի', 'բակից', 'բակային', 'բակեր', '=ծառ', 'ծառեր', 'ծառը',
        '=ծառի', 'ծառահատ', 'ծառատունկ', 'հողամաս', 'հողատարածք', 'ավտոտնակ', 'կադաստր', 'ճարտարապետ', 'նստարան',
        'shinarar',
      ],
      en: [
        'construction', 'building', 'permit', 'demolition', 'urban planning', 'renovation', 'repair', '=park', '=parks',
        'playground', 'yard', 'courtyard', '=tree', '=trees', 'landscaping', 'garage', 'architect', 'bench',
      ],
      ru: [
        'строительств', 'строител', 'стройк', 'застрой', 'здани', 'снос', 'градострои', 'реконструкц', 'ремонт',
        'благоустр', 'озелен', '=парк', '=парка', '=парке', '=парки', '=парков', 'сквер', 'детск площадк', '=двор',
        '=двора', '=дворе', '=дворы', 'дворов', 'деревь', '=дерево', 'вырубк', 'гараж', 'земельн', 'архитект',
        'скамейк', 'постройк',
      ],
    },
  },
  {
    code: 'public_order',
    position: 11,
    names: { hy: 'Հասարակական կարգ', en: 'Public order', ru: 'Общественный порядок' },
    keywords: {
      hy: [
        'ոստիկան', 'աղմուկ', 'աղմկ', 'կռիվ', 'կռվ', 'խուլիգան', 'անվտանգ', 'գող', 'թմրանյութ', 'հարբած', 'պարեկ',
        'վանդալ', 'ապօրինի առևտ', 'փողոցային առևտ', 'մուրացկան', 'հանցագործ', 'ծեծ',
        'ostikan',
      ],
      en: [
        'police', 'noise', 'noisy', 'fight', 'hooligan', 'safety', 'security', 'theft', 'stolen', 'steal', 'drunk', 'drug',
        'vandal', 'public order', 'crime', 'beggar',
      ],
      ru: [
        'полиц', 'шум', 'драк', 'хулиган', 'безопасн', 'краж', 'воровств', '=вор', '=воры', 'наркот', 'пьян', 'вандал',
        'патрул', 'общественн порядк', 'попрошай', 'преступ',
      ],
    },
  },
  {
    code: 'other',
    position: 12,
    names: { hy: 'Այլ', en: 'Other', ru: 'Другое' },
    keywords: { hy: [], en: [], ru: [] },
  },
];
