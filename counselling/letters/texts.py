"""The wording of the letter, one dict per language.

Korean and English make up the first page of every letter; a woman who reads
neither gets a second page in her own language. Sentences are short and plain.
`reviewed` says whether a native speaker has checked the text: until then the
page prints a small notice saying so. Set it to True only after that review.

Placeholders: {start}, {end} (dates), {url} (the verification page).
"""

from __future__ import annotations

# The languages of the first page, always printed.
MAIN_LANGUAGES = ("ko", "en")
# Languages a second page can be printed in (ISO 639-1, as on her record).
CLIENT_LANGUAGES = ("vi", "zh", "tl", "km", "mn", "th", "ru", "uz")

TEXTS: dict[str, dict] = {
    "ko": {
        "reviewed": False,
        "title": "가정폭력 피해 상담 확인서",
        "number": "문서 번호",
        "name": "성명",
        "birth_date": "생년월일",
        "nationality": "국적",
        "statement": "위 사람은 가정폭력 피해로 본 센터에 도움을 요청하였습니다.",
        "first_contact": "최초 상담일",
        "last_contact": "최근 상담일",
        "sessions": "상담 횟수",
        "services": "제공 서비스",
        "counselling": "상담",
        "legal_advice": "법률 상담",
        "shelter": "쉼터 입소 {start} ~ {end}",
        "shelter_open": "쉼터 입소 {start} ~ (입소 중)",
        "issued_by": "발급 기관",
        "address": "주소",
        "phone": "전화",
        "signatory": "서명",
        "manager": "지부장",
        "issued_on": "발급일",
        "verify": "이 확인서는 {url} 에서 문서 번호와 생년월일로 확인할 수 있습니다.",
        "translation": "",
        "not_reviewed": "이 문안은 아직 원어민의 검토를 받지 않았습니다.",
    },
    "en": {
        "reviewed": False,
        "title": "Confirmation of help sought for domestic violence",
        "number": "Letter number",
        "name": "Name",
        "birth_date": "Date of birth",
        "nationality": "Nationality",
        "statement": (
            "The person named above sought help from our centre because of domestic violence."
        ),
        "first_contact": "First contact",
        "last_contact": "Last contact",
        "sessions": "Number of sessions",
        "services": "Services given",
        "counselling": "Counselling",
        "legal_advice": "Legal advice",
        "shelter": "Shelter stay from {start} to {end}",
        "shelter_open": "Shelter stay from {start} (still staying)",
        "issued_by": "Issued by",
        "address": "Address",
        "phone": "Telephone",
        "signatory": "Signed by",
        "manager": "Branch manager",
        "issued_on": "Date of issue",
        "verify": (
            "To check this letter, go to {url} and enter the letter number and her date of birth."
        ),
        "translation": "",
        "not_reviewed": "This text has not yet been reviewed by a native speaker.",
    },
    "vi": {
        "reviewed": False,
        "title": "Giấy xác nhận đã tìm kiếm sự giúp đỡ vì bạo lực gia đình",
        "number": "Số văn bản",
        "name": "Họ và tên",
        "birth_date": "Ngày sinh",
        "nationality": "Quốc tịch",
        "statement": (
            "Người có tên trên đây đã tìm kiếm sự giúp đỡ tại trung tâm chúng tôi "
            "vì bạo lực gia đình."
        ),
        "first_contact": "Lần liên hệ đầu tiên",
        "last_contact": "Lần liên hệ gần nhất",
        "sessions": "Số buổi tư vấn",
        "services": "Dịch vụ đã nhận",
        "counselling": "Tư vấn",
        "legal_advice": "Tư vấn pháp lý",
        "shelter": "Ở nhà tạm lánh từ {start} đến {end}",
        "shelter_open": "Ở nhà tạm lánh từ {start} (vẫn đang ở)",
        "issued_by": "Nơi cấp",
        "address": "Địa chỉ",
        "phone": "Điện thoại",
        "signatory": "Người ký",
        "manager": "Giám đốc chi nhánh",
        "issued_on": "Ngày cấp",
        "verify": (
            "Để kiểm tra giấy này, hãy vào {url} và nhập số văn bản cùng ngày sinh của chị ấy."
        ),
        "translation": "Trang này là bản dịch. Bản tiếng Hàn có giá trị ưu tiên.",
        "not_reviewed": "Bản dịch này chưa được người bản ngữ kiểm tra.",
    },
    "zh": {
        "reviewed": False,
        "title": "家庭暴力求助确认书",
        "number": "文件编号",
        "name": "姓名",
        "birth_date": "出生日期",
        "nationality": "国籍",
        "statement": "上述人员因家庭暴力向本中心寻求了帮助。",
        "first_contact": "首次联系日期",
        "last_contact": "最近联系日期",
        "sessions": "咨询次数",
        "services": "提供的服务",
        "counselling": "咨询",
        "legal_advice": "法律咨询",
        "shelter": "入住庇护所：{start} 至 {end}",
        "shelter_open": "入住庇护所：{start} 起（目前仍在入住）",
        "issued_by": "签发机构",
        "address": "地址",
        "phone": "电话",
        "signatory": "签署人",
        "manager": "分部负责人",
        "issued_on": "签发日期",
        "verify": "如需核实本确认书，请访问 {url} ，输入文件编号和本人的出生日期。",
        "translation": "本页为译文，以韩文文本为准。",
        "not_reviewed": "本译文尚未经母语人士审核。",
    },
    "tl": {
        "reviewed": False,
        "title": "Katibayan ng paghingi ng tulong dahil sa karahasan sa tahanan",
        "number": "Numero ng liham",
        "name": "Pangalan",
        "birth_date": "Petsa ng kapanganakan",
        "nationality": "Nasyonalidad",
        "statement": (
            "Ang taong nakapangalan sa itaas ay humingi ng tulong sa aming sentro "
            "dahil sa karahasan sa tahanan."
        ),
        "first_contact": "Unang pakikipag-ugnayan",
        "last_contact": "Huling pakikipag-ugnayan",
        "sessions": "Bilang ng sesyon",
        "services": "Mga serbisyong ibinigay",
        "counselling": "Pagpapayo",
        "legal_advice": "Payong legal",
        "shelter": "Pananatili sa shelter mula {start} hanggang {end}",
        "shelter_open": "Pananatili sa shelter mula {start} (nananatili pa)",
        "issued_by": "Inilabas ng",
        "address": "Address",
        "phone": "Telepono",
        "signatory": "Lumagda",
        "manager": "Tagapamahala ng sangay",
        "issued_on": "Petsa ng paglabas",
        "verify": (
            "Upang suriin ang liham na ito, pumunta sa {url} at ilagay ang numero ng liham "
            "at ang kanyang petsa ng kapanganakan."
        ),
        "translation": "Ang pahinang ito ay salin. Ang tekstong Koreano ang masusunod.",
        "not_reviewed": "Hindi pa nasusuri ng isang katutubong tagapagsalita ang tekstong ito.",
    },
    "km": {
        "reviewed": False,
        "title": "លិខិតបញ្ជាក់ការស្វែងរកជំនួយដោយសារអំពើហិង្សាក្នុងគ្រួសារ",
        "number": "លេខលិខិត",
        "name": "ឈ្មោះ",
        "birth_date": "ថ្ងៃខែឆ្នាំកំណើត",
        "nationality": "សញ្ជាតិ",
        "statement": ("បុគ្គលដែលមានឈ្មោះខាងលើ បានស្វែងរកជំនួយពីមជ្ឈមណ្ឌលរបស់យើង ដោយសារអំពើហិង្សាក្នុងគ្រួសារ។"),
        "first_contact": "ការទាក់ទងលើកដំបូង",
        "last_contact": "ការទាក់ទងចុងក្រោយ",
        "sessions": "ចំនួនវគ្គប្រឹក្សា",
        "services": "សេវាដែលបានផ្តល់",
        "counselling": "ការប្រឹក្សា",
        "legal_advice": "ការប្រឹក្សាផ្លូវច្បាប់",
        "shelter": "ស្នាក់នៅផ្ទះសុវត្ថិភាព ពី {start} ដល់ {end}",
        "shelter_open": "ស្នាក់នៅផ្ទះសុវត្ថិភាព ពី {start} (កំពុងស្នាក់នៅ)",
        "issued_by": "ចេញដោយ",
        "address": "អាសយដ្ឋាន",
        "phone": "ទូរស័ព្ទ",
        "signatory": "ហត្ថលេខា",
        "manager": "ប្រធានសាខា",
        "issued_on": "កាលបរិច្ឆេទចេញ",
        "verify": ("ដើម្បីពិនិត្យលិខិតនេះ សូមចូលទៅ {url} ហើយបញ្ចូលលេខលិខិត និងថ្ងៃខែឆ្នាំកំណើតរបស់នាង។"),
        "translation": "ទំព័រនេះជាការបកប្រែ។ អត្ថបទភាសាកូរ៉េមានអាទិភាព។",
        "not_reviewed": "អត្ថបទនេះមិនទាន់ត្រូវបានពិនិត្យដោយអ្នកនិយាយភាសាកំណើតនៅឡើយទេ។",
    },
    "mn": {
        "reviewed": False,
        "title": "Гэр бүлийн хүчирхийллийн улмаас тусламж хүссэнийг батлах бичиг",
        "number": "Бичгийн дугаар",
        "name": "Овог нэр",
        "birth_date": "Төрсөн огноо",
        "nationality": "Иргэншил",
        "statement": (
            "Дээр нэр дурдсан хүн гэр бүлийн хүчирхийллийн улмаас манай төвд хандаж тусламж хүссэн."
        ),
        "first_contact": "Анх хандсан огноо",
        "last_contact": "Сүүлд хандсан огноо",
        "sessions": "Зөвлөгөөний тоо",
        "services": "Үзүүлсэн үйлчилгээ",
        "counselling": "Зөвлөгөө",
        "legal_advice": "Хуулийн зөвлөгөө",
        "shelter": "Хамгаалах байранд байрласан: {start} – {end}",
        "shelter_open": "Хамгаалах байранд байрласан: {start} – (одоо байрлаж байгаа)",
        "issued_by": "Олгосон байгууллага",
        "address": "Хаяг",
        "phone": "Утас",
        "signatory": "Гарын үсэг зурсан",
        "manager": "Салбарын эрхлэгч",
        "issued_on": "Олгосон огноо",
        "verify": (
            "Энэ бичгийг шалгахын тулд {url} хаягаар орж, бичгийн дугаар болон "
            "түүний төрсөн огноог оруулна уу."
        ),
        "translation": "Энэ хуудас нь орчуулга юм. Солонгос хэл дээрх эх бичиг давуу хүчинтэй.",
        "not_reviewed": "Энэ бичвэрийг төрөлх хэлтэн хараахан хянаагүй байна.",
    },
    "th": {
        "reviewed": False,
        "title": "หนังสือรับรองการขอความช่วยเหลือเนื่องจากความรุนแรงในครอบครัว",
        "number": "เลขที่หนังสือ",
        "name": "ชื่อ",
        "birth_date": "วันเกิด",
        "nationality": "สัญชาติ",
        "statement": ("บุคคลที่มีชื่อข้างต้นได้ขอความช่วยเหลือจากศูนย์ของเรา เนื่องจากความรุนแรงในครอบครัว"),
        "first_contact": "วันที่ติดต่อครั้งแรก",
        "last_contact": "วันที่ติดต่อครั้งล่าสุด",
        "sessions": "จำนวนครั้งที่ให้คำปรึกษา",
        "services": "บริการที่ได้รับ",
        "counselling": "การให้คำปรึกษา",
        "legal_advice": "คำปรึกษาด้านกฎหมาย",
        "shelter": "พักในบ้านพักฉุกเฉินตั้งแต่ {start} ถึง {end}",
        "shelter_open": "พักในบ้านพักฉุกเฉินตั้งแต่ {start} (ยังพักอยู่)",
        "issued_by": "ออกโดย",
        "address": "ที่อยู่",
        "phone": "โทรศัพท์",
        "signatory": "ผู้ลงนาม",
        "manager": "ผู้จัดการสาขา",
        "issued_on": "วันที่ออก",
        "verify": ("หากต้องการตรวจสอบหนังสือนี้ โปรดไปที่ {url} แล้วกรอกเลขที่หนังสือและวันเกิดของเธอ"),
        "translation": "หน้านี้เป็นคำแปล ให้ถือข้อความภาษาเกาหลีเป็นหลัก",
        "not_reviewed": "ข้อความนี้ยังไม่ได้รับการตรวจทานโดยเจ้าของภาษา",
    },
    "ru": {
        "reviewed": False,
        "title": "Справка об обращении за помощью в связи с домашним насилием",
        "number": "Номер справки",
        "name": "Имя и фамилия",
        "birth_date": "Дата рождения",
        "nationality": "Гражданство",
        "statement": (
            "Указанное выше лицо обратилось за помощью в наш центр в связи с домашним насилием."
        ),
        "first_contact": "Первое обращение",
        "last_contact": "Последнее обращение",
        "sessions": "Число консультаций",
        "services": "Оказанные услуги",
        "counselling": "Консультирование",
        "legal_advice": "Юридическая консультация",
        "shelter": "Проживание в приюте с {start} по {end}",
        "shelter_open": "Проживание в приюте с {start} (проживает сейчас)",
        "issued_by": "Выдано",
        "address": "Адрес",
        "phone": "Телефон",
        "signatory": "Подпись",
        "manager": "Руководитель отделения",
        "issued_on": "Дата выдачи",
        "verify": (
            "Чтобы проверить справку, откройте {url} и введите номер справки и её дату рождения."
        ),
        "translation": (
            "Эта страница — перевод. Преимущественную силу имеет текст на корейском языке."
        ),
        "not_reviewed": "Этот текст ещё не проверен носителем языка.",
    },
    "uz": {
        "reviewed": False,
        "title": "Oilaviy zoʻravonlik sababli yordam soʻraganlik haqida maʼlumotnoma",
        "number": "Maʼlumotnoma raqami",
        "name": "Ism va familiya",
        "birth_date": "Tugʻilgan sana",
        "nationality": "Fuqaroligi",
        "statement": (
            "Yuqorida koʻrsatilgan shaxs oilaviy zoʻravonlik sababli markazimizga "
            "yordam soʻrab murojaat qilgan."
        ),
        "first_contact": "Birinchi murojaat",
        "last_contact": "Oxirgi murojaat",
        "sessions": "Maslahatlar soni",
        "services": "Koʻrsatilgan xizmatlar",
        "counselling": "Maslahat",
        "legal_advice": "Huquqiy maslahat",
        "shelter": "Boshpanada yashagan: {start} – {end}",
        "shelter_open": "Boshpanada yashagan: {start} – (hozir ham yashamoqda)",
        "issued_by": "Beruvchi tashkilot",
        "address": "Manzil",
        "phone": "Telefon",
        "signatory": "Imzolagan",
        "manager": "Filial rahbari",
        "issued_on": "Berilgan sana",
        "verify": (
            "Ushbu maʼlumotnomani tekshirish uchun {url} sahifasiga kiring va "
            "maʼlumotnoma raqami hamda uning tugʻilgan sanasini kiriting."
        ),
        "translation": "Bu sahifa tarjimadir. Koreys tilidagi matn ustun hisoblanadi.",
        "not_reviewed": "Bu matn hali ona tili soʻzlashuvchisi tomonidan tekshirilmagan.",
    },
}

LANGUAGE_NAMES = {
    "vi": "Tiếng Việt",
    "zh": "中文",
    "tl": "Tagalog",
    "km": "ភាសាខ្មែរ",
    "mn": "Монгол",
    "th": "ภาษาไทย",
    "ru": "Русский",
    "uz": "Oʻzbekcha",
}


def second_page_language(languages) -> str:
    """The language of her second page: none if she reads Korean or English,
    else the first of her languages that the letter is written in ("" if none)."""
    if any(code in MAIN_LANGUAGES for code in languages):
        return ""
    return next((code for code in languages if code in CLIENT_LANGUAGES), "")
