"""The retention paragraph states Hamkke's default for a closed case: records
are kept 10 years after her last case is closed (the texts first shipped said 5).

A shipped text nobody has touched (the first version, written by the project,
not reviewed, still current and worded as shipped) gets the new wording as its
next version, so the consents recorded with the old one still point at what she
was shown. A text an administrator has edited or marked reviewed is left alone:
it is hers to change."""

from django.db import migrations

# language: (the wording shipped, the wording now shipped in texts.json)
RETENTION = {
    "ko": (
        "센터는 당신을 돕는 동안, 그리고 마지막 사건이 종결된 뒤 5년 동안 기록을 보관합니다. 그 뒤에는 기록을 파기합니다.",
        "센터는 당신을 돕는 동안, 그리고 마지막 사건이 종결된 뒤 10년 동안 기록을 보관합니다. 그 뒤에는 기록을 파기합니다.",
    ),
    "en": (
        "The centre keeps your records while we help you and for 5 years after your last case is closed. After that, we destroy them.",
        "The centre keeps your records while we help you and for 10 years after your last case is closed. After that, we destroy them.",
    ),
    "vi": (
        "Trung tâm lưu giữ hồ sơ của bạn trong thời gian giúp đỡ bạn và 5 năm sau khi vụ việc cuối cùng của bạn kết thúc. Sau đó, chúng tôi hủy hồ sơ.",
        "Trung tâm lưu giữ hồ sơ của bạn trong thời gian giúp đỡ bạn và 10 năm sau khi vụ việc cuối cùng của bạn kết thúc. Sau đó, chúng tôi hủy hồ sơ.",
    ),
    "zh": (
        "在帮助您期间，以及您最后一个案件结案后的5年内，中心会保存您的记录。之后，我们会销毁这些记录。",
        "在帮助您期间，以及您最后一个案件结案后的10年内，中心会保存您的记录。之后，我们会销毁这些记录。",
    ),
    "tl": (
        "Iniingatan ng sentro ang iyong mga rekord habang tinutulungan ka namin at sa loob ng 5 taon pagkatapos maisara ang iyong huling kaso. Pagkatapos nito, sisirain namin ang mga ito.",
        "Iniingatan ng sentro ang iyong mga rekord habang tinutulungan ka namin at sa loob ng 10 taon pagkatapos maisara ang iyong huling kaso. Pagkatapos nito, sisirain namin ang mga ito.",
    ),
    "km": (
        "មជ្ឈមណ្ឌលរក្សាទុកកំណត់ត្រារបស់អ្នក ក្នុងអំឡុងពេលដែលយើងជួយអ្នក និងរយៈពេល ៥ ឆ្នាំ បន្ទាប់ពីករណីចុងក្រោយរបស់អ្នកត្រូវបានបិទ។ បន្ទាប់ពីនោះ យើងនឹងបំផ្លាញវាចោល។",
        "មជ្ឈមណ្ឌលរក្សាទុកកំណត់ត្រារបស់អ្នក ក្នុងអំឡុងពេលដែលយើងជួយអ្នក និងរយៈពេល ១០ ឆ្នាំ បន្ទាប់ពីករណីចុងក្រោយរបស់អ្នកត្រូវបានបិទ។ បន្ទាប់ពីនោះ យើងនឹងបំផ្លាញវាចោល។",
    ),
    "mn": (
        "Төв танд тусалж буй хугацаанд болон таны сүүлчийн хэрэг хаагдсанаас хойш 5 жилийн турш бүртгэлийг хадгална. Үүний дараа бид устгана.",
        "Төв танд тусалж буй хугацаанд болон таны сүүлчийн хэрэг хаагдсанаас хойш 10 жилийн турш бүртгэлийг хадгална. Үүний дараа бид устгана.",
    ),
    "th": (
        "ศูนย์จะเก็บบันทึกของคุณไว้ในระหว่างที่เราช่วยเหลือคุณ และอีก 5 ปีหลังจากปิดกรณีสุดท้ายของคุณ หลังจากนั้นเราจะทำลายบันทึก",
        "ศูนย์จะเก็บบันทึกของคุณไว้ในระหว่างที่เราช่วยเหลือคุณ และอีก 10 ปีหลังจากปิดกรณีสุดท้ายของคุณ หลังจากนั้นเราจะทำลายบันทึก",
    ),
    "ru": (
        "Центр хранит ваши записи, пока мы вам помогаем, и ещё 5 лет после закрытия вашего последнего дела. После этого мы их уничтожаем.",
        "Центр хранит ваши записи, пока мы вам помогаем, и ещё 10 лет после закрытия вашего последнего дела. После этого мы их уничтожаем.",
    ),
    "uz": (
        "Markaz sizga yordam berayotgan davrda va oxirgi ishingiz yopilganidan keyin 5 yil davomida yozuvlaringizni saqlaydi. Shundan soʻng biz ularni yoʻq qilamiz.",
        "Markaz sizga yordam berayotgan davrda va oxirgi ishingiz yopilganidan keyin 10 yil davomida yozuvlaringizni saqlaydi. Shundan soʻng biz ularni yoʻq qilamiz.",
    ),
}


def update_retention(apps, schema_editor):
    ConsentText = apps.get_model("consent_texts", "ConsentText")
    for language, (shipped, now) in RETENTION.items():
        current = ConsentText.objects.filter(
            language=language, section="retention", is_current=True
        ).first()
        untouched = (
            current is not None
            and current.version == 1
            and current.created_by_id is None
            and not current.reviewed_by_native_speaker
            and current.body == shipped
        )
        if not untouched:
            continue
        ConsentText.objects.filter(pk=current.pk).update(is_current=False)
        ConsentText.objects.create(
            language=language,
            section="retention",
            heading=current.heading,
            body=now,
            version=current.version + 1,
            is_current=True,
        )


class Migration(migrations.Migration):
    dependencies = [("consent_texts", "0002_seed_texts")]

    operations = [migrations.RunPython(update_retention, migrations.RunPython.noop)]
